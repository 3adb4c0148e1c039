import { createI18n } from 'vue-i18n';
import zhCN from './zh-CN.js';
import en from './en.js';
import { localeFileOf, mergeMessages } from './merge.js';

export const LOCALES = ['zh-CN', 'en'];
const STORAGE_KEY = 'fq.locale';

// Each module brings its own texts: adding a module needs no edit here.
const files = import.meta.glob('../modules/*/locales/*.js', { eager: true, import: 'default' });
const moduleTexts = Object.entries(files).map(([path, messages]) => ({ ...localeFileOf(path), messages }));
const messages = mergeMessages({ 'zh-CN': zhCN, en }, moduleTexts);

function initialLocale() {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (LOCALES.includes(saved)) return saved;
  } catch {
    // storage may be disabled; the default is fine
  }
  return 'zh-CN';
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'zh-CN',
  messages,
});

export function setLocale(locale) {
  if (!LOCALES.includes(locale)) return;
  i18n.global.locale.value = locale;
  document.documentElement.lang = locale;
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // not remembered, still switched
  }
}

document.documentElement.lang = i18n.global.locale.value;
