import { House } from '@element-plus/icons-vue';

export default [
  {
    path: '',
    name: 'home',
    component: () => import('./HomePage.vue'),
    meta: { title: 'home.menu.home', icon: House, group: 'top', order: 0 },
  },
];
