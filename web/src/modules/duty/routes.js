import { Calendar, Guide, Switch } from '@element-plus/icons-vue';

// 勤务: the roster, handovers, patrols.
export default [
  {
    path: 'duty/roster',
    name: 'dutyRoster',
    component: () => import('./RosterPage.vue'),
    meta: {
      title: 'duty.menu.dutyRoster',
      desc: 'duty.menuDesc.dutyRoster',
      icon: Calendar,
      group: 'duty',
      order: 10,
      permission: 'duty.read',
    },
  },
  {
    path: 'duty/handovers',
    name: 'handovers',
    component: () => import('./HandoverPage.vue'),
    meta: {
      title: 'duty.menu.handovers',
      desc: 'duty.menuDesc.handovers',
      icon: Switch,
      group: 'duty',
      order: 20,
      permission: 'duty.read',
    },
  },
  {
    path: 'duty/handovers/:id(\\d+)',
    name: 'handover',
    component: () => import('./HandoverDetail.vue'),
    meta: { title: 'duty.handoverTitle', permission: 'duty.read', menu: 'handovers' },
  },
  {
    path: 'duty/patrols',
    name: 'patrols',
    component: () => import('./PatrolPage.vue'),
    meta: {
      title: 'duty.menu.patrols',
      desc: 'duty.menuDesc.patrols',
      icon: Guide,
      group: 'duty',
      order: 30,
      permission: 'duty.read',
    },
  },
];
