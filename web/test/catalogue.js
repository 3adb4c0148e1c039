// What the tests need of the app's assembly, found on disk the way Vite's
// import.meta.glob finds it in the app (src/router.js, src/i18n/index.js).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import zhCN from '../src/i18n/zh-CN.js';
import en from '../src/i18n/en.js';
import { mergeMessages } from '../src/i18n/merge.js';
import { assembleModules } from '../src/kit/assemble.js';

export const SRC = fileURLToPath(new URL('../src', import.meta.url));
export const SHARED = { 'zh-CN': zhCN, en };
export const LOCALES = Object.keys(SHARED);
export const MODULES = readdirSync(join(SRC, 'modules'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

const load = async (path) => import(pathToFileURL(path).href);

/** [{ module, locale, messages }] of every modules/<module>/locales/<locale>.js */
export async function moduleTexts() {
  const out = [];
  for (const module of MODULES) {
    const dir = join(SRC, 'modules', module, 'locales');
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.js'))) {
      out.push({ module, locale: file.replace(/\.js$/, ''), messages: (await load(join(dir, file))).default });
    }
  }
  return out;
}

export async function messages() {
  return mergeMessages(SHARED, await moduleTexts());
}

/** [{ module, exports }] of every modules/<module>/routes.js */
export async function moduleRoutes() {
  const out = [];
  for (const module of MODULES) {
    const file = join(SRC, 'modules', module, 'routes.js');
    if (existsSync(file)) out.push({ module, exports: await load(file) });
  }
  return out;
}

export async function assembled() {
  return assembleModules(await moduleRoutes());
}

export function keys(obj, prefix = '') {
  return Object.entries(obj).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

export function has(messages, key) {
  return typeof key.split('.').reduce((o, k) => (o && typeof o === 'object' ? o[k] : undefined), messages) === 'string';
}
