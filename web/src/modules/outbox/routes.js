import { Promotion, Tickets } from '@element-plus/icons-vue';

export default [
  {
    path: 'outbox',
    name: 'outbox-channels',
    component: () => import('./OutboxChannels.vue'),
    meta: {
      title: 'outbox.menu.channels',
      desc: 'outbox.menuDesc.channels',
      icon: Promotion,
      group: 'system',
      order: 40,
      permission: 'outbox.admin',
    },
  },
  {
    path: 'outbox/log',
    name: 'outbox-deliveries',
    component: () => import('./OutboxDeliveries.vue'),
    meta: {
      title: 'outbox.menu.deliveries',
      desc: 'outbox.menuDesc.deliveries',
      icon: Tickets,
      group: 'system',
      order: 41,
      permission: 'outbox.admin',
    },
  },
];
