// The keyboard of the intake form. Physical key codes (event.code) are used
// so that Alt+N works on every layout and on macOS (where Alt changes the
// character). Each entry's `keys` is what the screen shows.

export const INTAKE_SHORTCUTS = [
  { action: 'new', keys: 'Alt+N', label: 'incidents.keys.new' },
  { action: 'save', keys: 'Ctrl+Enter', label: 'incidents.keys.save' },
  { action: 'category', keys: 'Alt+1…9', label: 'incidents.keys.category' },
  { action: 'emergency', keys: 'Alt+J', label: 'incidents.keys.emergency' },
  { action: 'person', keys: 'Alt+P', label: 'incidents.keys.person' },
  { action: 'dispatch', keys: 'Alt+G', label: 'incidents.keys.dispatch' },
];

const LETTER_ACTIONS = { KeyN: 'new', KeyJ: 'emergency', KeyP: 'person', KeyG: 'dispatch' };

/** The index 0–9 a digit key stands for (1 → 0 … 9 → 8, 0 → 9), or -1. */
export function digitIndex(e) {
  const code = e && e.code ? e.code : '';
  const m = /^(?:Digit|Numpad)([0-9])$/.exec(code);
  let d;
  if (m) d = Number(m[1]);
  else if (e && /^[0-9]$/.test(e.key || '')) d = Number(e.key);
  else return -1;
  return d === 0 ? 9 : d - 1;
}

/**
 * The intake shortcut a keydown event stands for: { action } or
 * { action: 'category', index }, or null for any other key.
 */
export function intakeShortcut(e) {
  if (!e) return null;
  const ctrl = e.ctrlKey || e.metaKey;
  if (ctrl && !e.altKey && (e.key === 'Enter' || e.code === 'Enter' || e.code === 'NumpadEnter')) return { action: 'save' };
  if (!e.altKey || ctrl) return null;
  const letter = LETTER_ACTIONS[e.code];
  if (letter && !e.shiftKey) return { action: letter };
  const index = digitIndex(e);
  if (index >= 0 && !e.shiftKey) return { action: 'category', index };
  return null;
}

/**
 * What Enter does in a field of the intake form: 'advance' (move to the next
 * field), or 'default' (leave it to the field: a newline in the narrative, a
 * pick in an open list, a click on a button).
 */
export function enterBehaviour(e, { listOpen = false } = {}) {
  if (!e || e.key !== 'Enter' || e.isComposing) return 'default';
  if (e.ctrlKey || e.metaKey || e.altKey || e.shiftKey) return 'default';
  const tag = e.target && e.target.tagName ? e.target.tagName.toLowerCase() : '';
  if (tag === 'textarea' || listOpen) return 'default';
  if (tag === 'button' && !(e.target.dataset && 'enterNext' in e.target.dataset)) return 'default';
  return 'advance';
}
