import { Stamp } from '@element-plus/icons-vue';

// 责任清单: the list (print labels from it), an item's page (a scanned label
// opens it; "record a check" made for a phone).
export default [
  {
    path: 'registry',
    name: 'registry',
    component: () => import('./RegistryList.vue'),
    meta: {
      title: 'registry.menu.list',
      desc: 'registry.menuDesc.list',
      icon: Stamp,
      group: 'foundation',
      order: 38,
      permission: 'registry.read',
    },
  },
  {
    path: 'registry/:id(\\d+)',
    name: 'registryItem',
    component: () => import('./RegistryItem.vue'),
    meta: { title: 'registry.detail', permission: 'registry.read', menu: 'registry' },
  },
];

// Header search: a "registry" result opens the item.
export const search = { registry: { route: 'registryItem', label: 'searchTypes.registry' } };
