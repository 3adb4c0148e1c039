import { Document } from '@element-plus/icons-vue';

export default [
  {
    path: 'audit',
    name: 'audit',
    component: () => import('./AuditPage.vue'),
    meta: {
      title: 'audit.menu.audit',
      desc: 'audit.menuDesc.audit',
      icon: Document,
      group: 'system',
      order: 30,
      permission: 'audit.read',
    },
  },
];
