import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleModules } from '../src/kit/assemble.js';
import { cleanQuery, groupResults, searchableBy, snippetParts } from '../src/kit/search.js';
import { GROUPS, MENU_GROUPS, TOP, buildMenu, menuItems } from '../src/layout/menu.js';
import { assembled, has, messages, moduleRoutes } from './catalogue.js';

const walk = (records) => records.flatMap((r) => [r, ...walk(r.children || [])]);

test('every module route has complete meta', async () => {
  const all = await messages();
  const mods = await moduleRoutes();
  assert.ok(mods.length >= 8, `found routes of ${mods.length} modules`);
  for (const { module, exports: mod } of mods) {
    assert.ok(Array.isArray(mod.default), `${module}: routes.js exports an array by default`);
    for (const r of walk([...mod.default, ...(mod.outside || [])])) {
      const where = `${module}: route ${r.name || r.path}`;
      assert.ok(r.name, `${where} has a name`);
      const meta = r.meta || {};
      assert.equal(typeof meta.title, 'string', `${where}: meta.title`);
      for (const locale of Object.keys(all)) {
        assert.ok(has(all[locale], meta.title), `${where}: title ${meta.title} missing in ${locale}`);
        if (meta.desc) assert.ok(has(all[locale], meta.desc), `${where}: desc ${meta.desc} missing in ${locale}`);
      }
      assert.ok(
        meta.permission === undefined || (typeof meta.permission === 'string' && /^[a-z_]+\.[a-z_]+$/.test(meta.permission)),
        `${where}: permission is a string like person.read`,
      );
      if (meta.group !== undefined) {
        assert.ok(MENU_GROUPS.includes(meta.group), `${where}: group ${meta.group} is one of ${MENU_GROUPS.join(', ')}`);
        assert.equal(typeof meta.order, 'number', `${where}: meta.order`);
        assert.ok(meta.icon, `${where}: a menu entry has an icon`);
      }
      if (meta.menu !== undefined) assert.equal(typeof meta.menu, 'string', `${where}: meta.menu names a route`);
    }
  }
});

test('the modules assemble: unique route names, search targets that exist', async () => {
  const { routes, outside, search } = await assembled();
  const names = [...routes, ...outside].map((r) => r.name);
  for (const r of routes) if (r.meta?.menu) assert.ok(names.includes(r.meta.menu), `${r.name}: meta.menu ${r.meta.menu} is a route`);
  for (const n of ['home', 'login', 'incidents', 'persons', 'audit']) assert.ok(names.includes(n), n);
  assert.deepEqual(search.map((s) => s.type).sort(), ['broadcast', 'dispute', 'incident', 'person', 'place', 'registry', 'tip']);
  assert.equal(search.find((s) => s.type === 'broadcast').permission, 'chatgroup.read');
  assert.equal(search.find((s) => s.type === 'place').permission, 'place.read');
  // A declared permission wins over the route's (tip pages open to reporters too).
  assert.equal(search.find((s) => s.type === 'tip').permission, 'tip.read');
  assert.equal(search.find((s) => s.type === 'registry').permission, 'registry.read');
  const all = await messages();
  for (const s of search) for (const m of Object.values(all)) assert.ok(has(m, s.label), `search label ${s.label}`);
  assert.equal(search.find((s) => s.type === 'person').permission, 'person.read');
  assert.equal(search.find((s) => s.type === 'dispute').permission, 'dispute.read');
  assert.equal(search.find((s) => s.type === 'dispute').route, 'dispute');
});

test('two modules declaring one route name are refused', () => {
  const a = { module: 'a', exports: { default: [{ path: 'x', name: 'x' }] } };
  const b = { module: 'b', exports: { default: [{ path: 'y', name: 'x' }] } };
  assert.throws(() => assembleModules([a, b]), /route name x is declared by modules a and b/);
  const c = { module: 'c', exports: { default: [], search: { thing: { route: 'nowhere', label: 'c.x' } } } };
  assert.throws(() => assembleModules([c]), /unknown route nowhere/);
});

const R = (name, group, order, permission) => ({ name, meta: { title: `t.${name}`, group, order, permission } });

test('the menu is grouped in the fixed order, empty groups hidden, entries by permission', () => {
  const records = [
    R('audit', 'system', 30, 'audit.read'),
    R('users', 'system', 20, 'user.read'),
    R('persons', 'foundation', 10, 'person.read'),
    R('board', 'incidents', 20, 'incident.read'),
    R('intake', 'incidents', 10, 'incident.write'),
    R('home', TOP, 0),
    { name: 'person', meta: { title: 't.person', permission: 'person.read', menu: 'persons' } },
  ];
  const aux = new Set(['incident.read', 'person.read']);
  const menu = buildMenu(records, (p) => aux.has(p));
  assert.deepEqual(
    menu.map((g) => [g.group, g.title, g.items.map((i) => i.name)]),
    [
      [TOP, null, ['home']],
      ['incidents', 'menu.groups.incidents', ['board']],
      ['foundation', 'menu.groups.foundation', ['persons']],
    ],
  );
  const all = buildMenu(records, () => true);
  assert.deepEqual(
    all.map((g) => g.group),
    [TOP, 'incidents', 'foundation', 'system'],
  );
  assert.deepEqual(
    all[1].items.map((i) => i.name),
    ['intake', 'board'],
  );
  assert.deepEqual(
    menuItems(records, () => false).map((i) => i.name),
    ['home'],
  );
});

test('every menu group has a heading in both locales', async () => {
  const all = await messages();
  for (const g of GROUPS) for (const m of Object.values(all)) assert.ok(has(m, `menu.groups.${g}`), g);
});

test('the real menu: chief-like sees the groups in order; an aux without system rights does not see 系统管理', async () => {
  const { routes } = await assembled();
  const full = buildMenu(routes, () => true).map((g) => g.group);
  assert.deepEqual(full, [TOP, 'incidents', 'duty', 'disputes', 'foundation', 'prevention', 'system']);
  const aux = new Set(['incident.read', 'incident.write', 'duty.read', 'person.read', 'address.read']);
  const groups = buildMenu(routes, (p) => aux.has(p)).map((g) => g.group);
  assert.deepEqual(groups, [TOP, 'incidents', 'duty', 'foundation']);
});

test('search results are grouped by type and link to the declared route', async () => {
  const { search } = await assembled();
  const mine = searchableBy(search, (p) => p === 'incident.read');
  assert.deepEqual(
    mine.map((s) => s.type),
    ['incident'],
  );
  const items = [
    { type: 'person', id: 3, title: '张三', snippet: '' },
    { type: 'incident', id: 12, title: 'LL-2026-000012', snippet: '<mark>噪音</mark>' },
    { type: 'no_such_type', id: 1, title: 'unknown type' },
  ];
  const groups = groupResults(
    items,
    searchableBy(search, () => true),
  );
  const byType = Object.fromEntries(groups.map((g) => [g.type, g]));
  // the best hit's group first, as the server ranked them
  assert.deepEqual(
    groups.map((g) => g.type),
    ['person', 'incident'],
  );
  assert.deepEqual(
    groupResults(
      [items[1], items[0]],
      searchableBy(search, () => true),
    ).map((g) => g.type),
    ['incident', 'person'],
  );
  assert.deepEqual(byType.incident.items[0].to, { name: 'incident', params: { id: '12' } });
  assert.deepEqual(byType.person.items[0].to, { name: 'person', params: { id: '3' } });
  assert.deepEqual(
    groupResults(items, mine).map((g) => g.type),
    ['incident'],
  );
  assert.deepEqual(groupResults([], mine), []);
  assert.deepEqual(groupResults(undefined, mine), []);
});

test('a snippet is split into text and hits; nothing else is markup', () => {
  assert.deepEqual(snippetParts('楼上<mark>噪音</mark>很大，<mark>扰民</mark>'), [
    { text: '楼上' },
    { text: '噪音', hit: true },
    { text: '很大，' },
    { text: '扰民', hit: true },
  ]);
  assert.deepEqual(snippetParts('<b>x</b><mark><i>y</i></mark>'), [{ text: '<b>x</b>' }, { text: '<i>y</i>', hit: true }]);
  assert.deepEqual(snippetParts(null), []);
  assert.equal(cleanQuery('  张三   LL-2026 '), '张三 LL-2026');
  assert.equal(cleanQuery('x'.repeat(300)).length, 100);
});
