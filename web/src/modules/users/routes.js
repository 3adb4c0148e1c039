import { Avatar } from '@element-plus/icons-vue';

export default [
  {
    path: 'users',
    name: 'users',
    component: () => import('./UserList.vue'),
    meta: {
      title: 'users.menu.users',
      desc: 'users.menuDesc.users',
      icon: Avatar,
      group: 'system',
      order: 20,
      permission: 'user.read',
    },
  },
];
