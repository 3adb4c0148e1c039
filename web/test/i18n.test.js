import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { mergeMessages } from '../src/i18n/merge.js';
import { LOCALES, SHARED, SRC, has, keys, messages, moduleTexts } from './catalogue.js';

function sources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.(vue|js)$/.test(name) ? [p] : [];
  });
}

function sameKeys(a, b, what) {
  const ka = keys(a).sort();
  const kb = keys(b).sort();
  assert.deepEqual(
    ka.filter((k) => !kb.includes(k)),
    [],
    `${what}: in zh-CN only`,
  );
  assert.deepEqual(
    kb.filter((k) => !ka.includes(k)),
    [],
    `${what}: in en only`,
  );
}

test('the shared texts have the same keys in both locales', () => {
  sameKeys(SHARED['zh-CN'], SHARED.en, 'shared');
});

test('each module has its texts in every locale, with the same keys', async () => {
  const texts = await moduleTexts();
  const modules = [...new Set(texts.map((x) => x.module))];
  assert.ok(modules.length >= 8, `found texts of ${modules.length} modules`);
  for (const module of modules) {
    const mine = Object.fromEntries(texts.filter((x) => x.module === module).map((x) => [x.locale, x.messages]));
    assert.deepEqual(Object.keys(mine).sort(), [...LOCALES].sort(), `${module}: locales`);
    sameKeys(mine['zh-CN'], mine.en, module);
  }
});

test('no message is empty', async () => {
  const all = await messages();
  for (const [name, m] of Object.entries(all)) {
    for (const k of keys(m)) {
      const v = k.split('.').reduce((o, p) => o[p], m);
      assert.ok(typeof v === 'string' && v.trim(), `${name}: ${k} is empty`);
    }
  }
});

test('a text defined by two modules is refused', () => {
  assert.throws(
    () =>
      mergeMessages({ en: { common: { save: 'Save' } } }, [
        { module: 'a', locale: 'en', messages: { a: { x: '1' } } },
        { module: 'b', locale: 'en', messages: { a: { x: '2' } } },
      ]),
    /a\.x of module b is defined twice/,
  );
  assert.throws(
    () => mergeMessages({ en: { common: { save: 'Save' } } }, [{ module: 'a', locale: 'en', messages: { common: { save: 'x' } } }]),
    /defined twice/,
  );
  const m = mergeMessages({ en: { common: { save: 'Save' } } }, [{ module: 'a', locale: 'en', messages: { a: { x: '1' } } }]);
  assert.deepEqual(m, { en: { common: { save: 'Save' }, a: { x: '1' } } });
});

test('every literal key the code uses exists in both locales', async () => {
  const all = await messages();
  const used = new Set();
  for (const file of sources(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\$?\bt\(\s*'([a-zA-Z_]+(?:\.[a-zA-Z_-]+)+)'/g)) used.add(m[1]);
    for (const m of text.matchAll(/(?:label|title|desc): '([a-z]+\.[a-zA-Z_.]+)'/g)) used.add(m[1]);
  }
  assert.ok(used.size > 50, `found ${used.size} keys`);
  const missing = [...used].filter((k) => !has(all['zh-CN'], k) || !has(all.en, k));
  assert.deepEqual(missing, []);
});
