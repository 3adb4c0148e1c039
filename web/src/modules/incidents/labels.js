// Labels shared by the incident screens that come from other modules' words.

/** One person's duty position (call_taker, responder, patroller): the duty module's word if it has one. */
export function positionLabel(t, te, p) {
  if (!p) return '—';
  if (te(`duty.position1.${p}`)) return t(`duty.position1.${p}`);
  if (te(`incidents.positions.${p}`)) return t(`incidents.positions.${p}`);
  return String(p);
}

export function roleLabel(t, te, r) {
  if (!r) return '—';
  return te(`roles.${r}`) ? t(`roles.${r}`) : String(r);
}
