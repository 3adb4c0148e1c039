import { OfficeBuilding } from '@element-plus/icons-vue';

export default [
  {
    path: 'orgs',
    name: 'orgs',
    component: () => import('./OrgPage.vue'),
    meta: {
      title: 'orgs.menu.orgs',
      desc: 'orgs.menuDesc.orgs',
      icon: OfficeBuilding,
      group: 'system',
      order: 10,
      permission: 'org.read',
    },
  },
];
