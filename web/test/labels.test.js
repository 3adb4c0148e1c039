// Every choice the server offers and every code it writes has a label in both
// languages. The server's choices and codes are the enums of its OpenAPI
// document (src/api/*.openapi.json, merged at build); tests/unit/api/
// test_openapi.c checks those enums against what the server serves and
// writes (the incident dictionary, the codes of steps and timeline events).
// Each enum says where its labels are: `x-labels` is a key prefix, the label
// of value v being `<prefix>.<v>`; `x-labels: false` marks values no person
// reads (flags, permissions shown to administrators as they are).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { PARAM_LABELS, codeText } from '../src/utils/codeText.js';
import { messages } from './catalogue.js';

const apiDir = new URL('../../src/api/', import.meta.url);
const parts = readdirSync(apiDir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({ file: f, doc: JSON.parse(readFileSync(new URL(f, apiDir), 'utf8')) }));

// The catalogues as the app assembles them: shared texts and every module's.
const catalogue = await messages();
const zhCN = catalogue['zh-CN'];
const en = catalogue.en;
const LOCALES = [
  ['zh-CN', catalogue['zh-CN']],
  ['en', catalogue.en],
];

function lookup(messages, key) {
  return key.split('.').reduce((o, k) => (o && typeof o === 'object' ? o[k] : undefined), messages);
}

// Every enum of the document: where it is, its values and x-labels.
function enums() {
  const out = [];
  const walk = (o, where) => {
    if (Array.isArray(o)) o.forEach((v, i) => walk(v, `${where}/${i}`));
    else if (o && typeof o === 'object') {
      if (Array.isArray(o.enum)) out.push({ where, values: o.enum, labels: o['x-labels'] });
      for (const [k, v] of Object.entries(o)) if (k !== 'enum') walk(v, `${where}/${k}`);
    }
  };
  for (const { file, doc } of parts) walk(doc, file);
  return out;
}

test('the document has enums, the codes of steps and timeline events among them', () => {
  const all = enums();
  assert.ok(all.length > 40, `found ${all.length} enums`);
  for (const prefix of ['codes.incidentStep', 'codes.personEvent', 'incidents.disposals', 'incidents.channels']) {
    assert.ok(
      all.some((e) => e.labels === prefix),
      `an enum labelled by ${prefix}`,
    );
  }
});

test('every enum says where its labels are (x-labels)', () => {
  const missing = enums()
    .filter((e) => !(typeof e.labels === 'string' && e.labels) && e.labels !== false)
    .map((e) => e.where);
  assert.deepEqual(missing, [], 'give these enums "x-labels": "<i18n prefix>" (or false when no person reads them)');
});

test('every value of every enum has a label in zh-CN and en', () => {
  const missing = [];
  for (const e of enums()) {
    if (typeof e.labels !== 'string') continue;
    for (const v of e.values) {
      if (v === null) continue;
      for (const [name, m] of LOCALES) {
        const s = lookup(m, `${e.labels}.${v}`);
        if (typeof s !== 'string' || !s.trim()) missing.push(`${name}: ${e.labels}.${v} (${e.where})`);
      }
    }
  }
  assert.deepEqual(missing, []);
});

test('params that are codes are labelled by a group the document names', () => {
  const groups = new Set(enums().map((e) => e.labels));
  for (const [param, prefix] of Object.entries(PARAM_LABELS)) {
    assert.ok(groups.has(prefix), `${param}: no enum is labelled by ${prefix}`);
  }
});

const placeholders = (s) => [...String(s).matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('a code says the same params in both languages', () => {
  for (const group of ['incidentStep', 'personEvent']) {
    for (const code of Object.keys(zhCN.codes[group])) {
      assert.deepEqual(placeholders(en.codes[group][code]), placeholders(zhCN.codes[group][code]), `codes.${group}.${code}`);
    }
  }
});

// A small stand-in for vue-i18n's t and te: look-up and {name} interpolation.
function i18n(messages) {
  const te = (key) => typeof lookup(messages, key) === 'string';
  const t = (key, args = {}) => String(lookup(messages, key)).replace(/\{(\w+)\}/g, (_, k) => (k in args ? args[k] : ''));
  return { t, te };
}

test('steps and timeline events read as sentences, with names and labels, in both languages', () => {
  const zh = i18n(zhCN);
  const e = i18n(en);
  const responders = {
    responders: [
      { id: 57, name: '张伟' },
      { id: 58, name: '李娜' },
    ],
  };
  assert.equal(codeText(zh.t, zh.te, 'incidentStep', 'dispatched', responders), '派警：张伟、李娜');
  assert.equal(codeText(e.t, e.te, 'incidentStep', 'dispatched', responders), 'Dispatched: 张伟, 李娜');
  assert.equal(codeText(zh.t, zh.te, 'incidentStep', 'closed', { disposal: 'on_site_mediation' }), '结警：现场调解');
  assert.equal(codeText(e.t, e.te, 'incidentStep', 'reviewed', { satisfaction: 'satisfied' }), `Followed up: ${en.incidents.satisfactions.satisfied}`);
  assert.equal(codeText(zh.t, zh.te, 'incidentStep', 'arrived_for', { responder: { id: 57, name: '张伟' } }), '登记 张伟 到达现场');
  assert.equal(
    codeText(e.t, e.te, 'incidentStep', 'party_added', { person: { id: 3, name: '王五' }, role: 'witness' }),
    `Added 王五 as ${en.incidents.partyRoles.witness}`,
  );
  assert.equal(codeText(zh.t, zh.te, 'incidentStep', 'converted', { dispute: { id: 1, number: 'LL-JF-2026-000001' } }), '转为矛盾纠纷 LL-JF-2026-000001');
  assert.equal(
    codeText(e.t, e.te, 'personEvent', 'incident_party', { number: 'LL-2026-000123', role: 'victim' }),
    `Involved in incident LL-2026-000123 (${en.incidents.partyRoles.victim})`,
  );
  assert.equal(codeText(zh.t, zh.te, 'personEvent', 'registered', {}), '登记人员信息');
  // a person whose id could not be known keeps the name as written
  assert.equal(codeText(zh.t, zh.te, 'incidentStep', 'dispatched', { responders: [{ id: null, name: '张伟、李娜' }] }), '派警：张伟、李娜');
  // no raw codes: an unknown code param and an unknown code give no code back
  assert.equal(codeText(zh.t, zh.te, 'incidentStep', 'closed', { disposal: 'no_such_code' }), '结警：—');
  assert.equal(codeText(zh.t, zh.te, 'incidentStep', 'no_such_code', {}), null);
  assert.equal(codeText(zh.t, zh.te, 'incidentStep', undefined, undefined), null);
});

test('every audit action the routes write has a label in zh-CN and en', () => {
  const missing = [];
  for (const { file, doc } of parts) {
    for (const item of Object.values(doc.paths || {})) {
      for (const op of Object.values(item)) {
        const action = op && op['x-audit-action'];
        if (!action) continue;
        // the audit page's key: person.unmask → audit.actions.person_unmask
        const key = `audit.actions.${action.replace(/\./g, '_')}`;
        for (const [name, m] of LOCALES) if (typeof lookup(m, key) !== 'string') missing.push(`${name}: ${key} (${file})`);
      }
    }
  }
  assert.deepEqual(missing, []);
});
