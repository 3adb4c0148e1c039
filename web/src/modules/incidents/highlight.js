// Highlighting of search hits. The server indexes Chinese text as overlapping
// character bigrams (plus single characters) and Latin text and digits as
// words, so a query term matches where its bigrams do: 噪音扰民 marks 噪音 and
// 扰民 in "楼上噪音很大，扰民". The result is a list of plain-text segments
// that the template renders with {{ }} (escaped); no HTML is ever built here.

const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]/u;
const WORD = /[\p{L}\p{N}]/u;

function isCjk(ch) {
  return CJK.test(ch);
}

/**
 * The strings to mark for a query: every bigram of a run of CJK characters
 * (the character itself when the run is one long), and every Latin word or
 * number (lower-cased). Duplicates removed, longest first.
 */
export function queryTerms(q) {
  const terms = new Set();
  const chars = Array.from(String(q || '').normalize('NFKC'));
  let run = [];
  let word = '';
  const flushRun = () => {
    if (run.length === 1) terms.add(run[0]);
    for (let i = 0; i + 1 < run.length; i++) terms.add(run[i] + run[i + 1]);
    run = [];
  };
  const flushWord = () => {
    if (word) terms.add(word.toLowerCase());
    word = '';
  };
  for (const ch of chars) {
    if (isCjk(ch)) {
      flushWord();
      run.push(ch);
    } else if (WORD.test(ch)) {
      flushRun();
      word += ch;
    } else {
      flushRun();
      flushWord();
    }
  }
  flushRun();
  flushWord();
  return [...terms].sort((a, b) => b.length - a.length);
}

/**
 * Splits `text` into [{ text, hit }] segments, hit = true where one of
 * `terms` occurs (case-insensitive, overlapping hits merged). Adjacent
 * segments of the same kind are joined; the texts concatenate to `text`.
 */
export function highlightSegments(text, terms) {
  const s = text === null || text === undefined ? '' : String(text);
  if (!s) return [];
  const list = (terms || []).filter(Boolean);
  if (!list.length) return [{ text: s, hit: false }];

  // Work on UTF-16 indexes of a lower-cased copy; lower-casing does not
  // change the length of CJK text, and for Latin text toLowerCase keeps the
  // length except for rare characters, which we then search case-sensitively.
  const lower = s.toLowerCase();
  const hay = lower.length === s.length ? lower : s;
  const marks = new Uint8Array(s.length);
  for (const term of list) {
    const needle = hay === lower ? term.toLowerCase() : term;
    if (!needle) continue;
    let from = 0;
    for (;;) {
      const at = hay.indexOf(needle, from);
      if (at < 0) break;
      marks.fill(1, at, at + needle.length);
      from = at + 1;
    }
  }

  const out = [];
  let start = 0;
  for (let i = 1; i <= s.length; i++) {
    if (i === s.length || marks[i] !== marks[start]) {
      out.push({ text: s.slice(start, i), hit: marks[start] === 1 });
      start = i;
    }
  }
  return out;
}

/** Both steps at once: the segments of `text` for query `q`. */
export function highlight(text, q) {
  return highlightSegments(text, queryTerms(q));
}
