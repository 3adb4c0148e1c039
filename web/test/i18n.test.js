import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import zhCN from '../src/i18n/zh-CN.js';
import en from '../src/i18n/en.js';

function keys(obj, prefix = '') {
  return Object.entries(obj).flatMap(([k, v]) =>
    v && typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

function has(messages, key) {
  return key.split('.').reduce((o, k) => (o && typeof o === 'object' ? o[k] : undefined), messages) !== undefined;
}

function sources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.(vue|js)$/.test(name) ? [p] : [];
  });
}

test('both locales have the same keys', () => {
  const a = keys(zhCN).sort();
  const b = keys(en).sort();
  assert.deepEqual(
    a.filter((k) => !b.includes(k)),
    [],
    'in zh-CN only',
  );
  assert.deepEqual(
    b.filter((k) => !a.includes(k)),
    [],
    'in en only',
  );
});

test('no message is empty', () => {
  for (const [name, m] of [['zh-CN', zhCN], ['en', en]]) {
    for (const k of keys(m)) {
      const v = k.split('.').reduce((o, p) => o[p], m);
      assert.ok(typeof v === 'string' && v.trim(), `${name}: ${k} is empty`);
    }
  }
});

test('every literal key the code uses exists in both locales', () => {
  const src = new URL('../src', import.meta.url).pathname;
  const used = new Set();
  for (const file of sources(src)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\$?\bt\(\s*'([a-zA-Z_]+(?:\.[a-zA-Z_-]+)+)'/g)) used.add(m[1]);
    for (const m of text.matchAll(/label: '([a-z]+\.[a-zA-Z_.]+)'/g)) used.add(m[1]);
  }
  assert.ok(used.size > 50, `found ${used.size} keys`);
  const missing = [...used].filter((k) => !has(zhCN, k) || !has(en, k));
  assert.deepEqual(missing, []);
});
