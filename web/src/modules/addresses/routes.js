import { Location } from '@element-plus/icons-vue';

// 基层基础: one place, one file.
export default [
  {
    path: 'addresses',
    name: 'addresses',
    component: () => import('./AddressList.vue'),
    meta: {
      title: 'addresses.menu.addresses',
      desc: 'addresses.menuDesc.addresses',
      icon: Location,
      group: 'foundation',
      order: 20,
      permission: 'address.read',
    },
  },
];
