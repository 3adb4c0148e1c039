// Puts the app together from its modules. Each modules/<module>/routes.js
// exports
//   default   route records shown inside the app layout (header, side menu);
//             meta: title (i18n key), desc (i18n key, the home page's line),
//             icon, group and order (layout/menu.js), permission (one string,
//             checked by the router and the menu alike), menu (the entry a
//             detail page lights up)
//   outside   route records outside the layout (the sign-in pages), optional
//   search    { <result type>: { route: <route name>, label: <i18n key>, permission? } },
//             optional: how header search results of that type link; who may
//             search them is the route's permission unless one is given (the
//             server's: a tip's page opens to its reporter, the search only
//             to officers)
// Plain functions, tested in Node; the Vite-only lookup is in router.js.

/** entries: [{ module, exports }] → { routes, outside, search: [{ type, route, label, permission, module }] } */
export function assembleModules(entries) {
  const routes = [];
  const outside = [];
  const search = [];
  const names = new Map();
  const sorted = [...entries].sort((a, b) => a.module.localeCompare(b.module));

  const claim = (record, module) => {
    if (!record.name) return;
    if (names.has(record.name)) {
      throw new Error(`route name ${record.name} is declared by modules ${names.get(record.name)} and ${module}`);
    }
    names.set(record.name, module);
  };

  for (const { module, exports: mod } of sorted) {
    for (const r of mod.default || []) {
      claim(r, module);
      routes.push(r);
    }
    for (const r of mod.outside || []) {
      claim(r, module);
      outside.push(r);
    }
  }
  const byName = new Map([...routes, ...outside].map((r) => [r.name, r]));
  const types = new Map();
  for (const { module, exports: mod } of sorted) {
    for (const [type, s] of Object.entries(mod.search || {})) {
      if (types.has(type)) throw new Error(`search type ${type} is declared by modules ${types.get(type)} and ${module}`);
      const target = byName.get(s.route);
      if (!target) throw new Error(`module ${module}: search type ${type} links to unknown route ${s.route}`);
      types.set(type, module);
      search.push({ type, route: s.route, label: s.label, permission: s.permission || target.meta?.permission || null, module });
    }
  }
  return { routes, outside, search };
}

// './modules/incidents/routes.js' → 'incidents'
export const moduleOf = (path) => /modules\/([^/]+)\//.exec(path)?.[1] || path;
