import { ChatDotRound, Promotion } from '@element-plus/icons-vue';

// 社区群 and 反诈宣传: the registry of the community's chat groups, the
// broadcasts and a broadcast's page with the result per group.
export default [
  {
    path: 'chatgroups',
    name: 'chatgroups',
    component: () => import('./ChatGroupList.vue'),
    meta: {
      title: 'chatgroups.menu.groups',
      desc: 'chatgroups.menuDesc.groups',
      icon: ChatDotRound,
      group: 'prevention',
      order: 50,
      permission: 'chatgroup.read',
    },
  },
  {
    path: 'broadcasts',
    name: 'broadcasts',
    component: () => import('./BroadcastList.vue'),
    meta: {
      title: 'chatgroups.menu.broadcasts',
      desc: 'chatgroups.menuDesc.broadcasts',
      icon: Promotion,
      group: 'prevention',
      order: 51,
      permission: 'chatgroup.read',
    },
  },
  {
    path: 'broadcasts/:id(\\d+)',
    name: 'broadcast',
    component: () => import('./BroadcastDetail.vue'),
    meta: { title: 'chatgroups.broadcast', permission: 'chatgroup.read', menu: 'broadcasts' },
  },
];

// Header search: a "broadcast" result opens the broadcast.
export const search = { broadcast: { route: 'broadcast', label: 'searchTypes.broadcast' } };
