// The side menu, grouped, built from the route records the modules declare
// (modules/<module>/routes.js): a record whose meta has a `group` is a menu
// entry, shown when the session holds its meta.permission. The same
// permission guards the route (router.js), so it is written once.
// Plain functions: test/modules.test.js runs them in Node.

// 'top' (home) stands above the groups and has no heading; the others show in
// this order, each under the heading menu.groups.<group>, when not empty.
export const TOP = 'top';
export const GROUPS = [
  'incidents', // 接处警
  'duty', // 勤务
  'disputes', // 矛盾纠纷
  'foundation', // 基层基础: persons, addresses, places…
  'prevention', // 群防群治
  'services', // 便民服务
  'staff', // 队伍
  'figures', // 统计分析
  'system', // 系统管理: orgs, users, audit
];
export const MENU_GROUPS = [TOP, ...GROUPS];

export const allowed = (meta, can) => !meta || !meta.permission || can(meta.permission);

/** The menu entries `can` allows, in menu order: [{ name, title, desc, icon, group, order }]. */
export function menuItems(records, can) {
  return records
    .filter((r) => r.name && r.meta && MENU_GROUPS.includes(r.meta.group) && allowed(r.meta, can))
    .map((r) => ({
      name: r.name,
      title: r.meta.title,
      desc: r.meta.desc || null,
      icon: r.meta.icon || null,
      group: r.meta.group,
      order: r.meta.order ?? 0,
    }))
    .sort((a, b) => MENU_GROUPS.indexOf(a.group) - MENU_GROUPS.indexOf(b.group) || a.order - b.order || String(a.name).localeCompare(String(b.name)));
}

/** The menu as groups that have entries: [{ group, title (i18n key, null for top), items }]. */
export function buildMenu(records, can) {
  const out = [];
  for (const item of menuItems(records, can)) {
    let g = out[out.length - 1];
    if (!g || g.group !== item.group) {
      g = { group: item.group, title: item.group === TOP ? null : `menu.groups.${item.group}`, items: [] };
      out.push(g);
    }
    g.items.push(item);
  }
  return out;
}
