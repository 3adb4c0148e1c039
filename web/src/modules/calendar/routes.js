import { Calendar } from '@element-plus/icons-vue';

export default [
  {
    path: 'calendar',
    name: 'calendar',
    component: () => import('./CalendarYear.vue'),
    meta: {
      title: 'calendar.menu',
      desc: 'calendar.menuDesc',
      icon: Calendar,
      group: 'system',
      order: 50,
      permission: 'calendar.admin',
    },
  },
];
