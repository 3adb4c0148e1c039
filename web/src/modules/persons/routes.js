import { User } from '@element-plus/icons-vue';

// 基层基础: one person, one file.
export default [
  {
    path: 'persons',
    name: 'persons',
    component: () => import('./PersonList.vue'),
    meta: {
      title: 'persons.menu.persons',
      desc: 'persons.menuDesc.persons',
      icon: User,
      group: 'foundation',
      order: 10,
      permission: 'person.read',
    },
  },
  {
    path: 'persons/:id',
    name: 'person',
    component: () => import('./PersonDetail.vue'),
    meta: { title: 'persons.detail', permission: 'person.read', menu: 'persons' },
  },
];

// Header search: a "person" result opens the person's file.
export const search = { person: { route: 'person', label: 'searchTypes.person' } };
