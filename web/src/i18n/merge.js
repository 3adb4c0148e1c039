// Builds one message catalogue per locale from the shared texts and each
// module's own (modules/<module>/locales/<locale>.js). Plain functions, so the
// tests run them in Node; the Vite-only file lookup is in i18n/index.js.

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

// Deep merge of `from` into `into`; a leaf defined twice is a mistake in a
// module (two modules would fight over one text), so it throws.
function mergeInto(into, from, where, path = '') {
  for (const [k, v] of Object.entries(from)) {
    const key = path ? `${path}.${k}` : k;
    if (isObject(v)) {
      if (into[k] === undefined) into[k] = {};
      else if (!isObject(into[k])) throw new Error(`i18n: ${key} of ${where} is both a text and a group`);
      mergeInto(into[k], v, where, key);
    } else {
      if (into[k] !== undefined) throw new Error(`i18n: ${key} of ${where} is defined twice`);
      into[k] = v;
    }
  }
  return into;
}

/**
 * shared:  { 'zh-CN': {...}, en: {...} }
 * modules: [{ module: 'incidents', locale: 'en', messages: {...} }, …]
 * Returns { 'zh-CN': {...}, en: {...} }: every locale of `shared`, with the
 * modules' texts merged in.
 */
export function mergeMessages(shared, modules) {
  const out = {};
  for (const [locale, messages] of Object.entries(shared)) out[locale] = mergeInto({}, messages, 'the shared texts');
  for (const { module, locale, messages } of modules) {
    if (!out[locale]) throw new Error(`i18n: module ${module} has texts in ${locale}, which the app does not offer`);
    mergeInto(out[locale], messages, `module ${module}`);
  }
  return out;
}

// 'modules/incidents/locales/zh-CN.js' (a glob key or a file path) →
// { module: 'incidents', locale: 'zh-CN' }; null for anything else.
export function localeFileOf(path) {
  const m = /modules\/([^/]+)\/locales\/([A-Za-z-]+)\.js$/.exec(path);
  return m ? { module: m[1], locale: m[2] } : null;
}
