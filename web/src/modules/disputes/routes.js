import { ChatDotRound, DocumentAdd, Memo, WarningFilled } from '@element-plus/icons-vue';

// 矛盾纠纷: the mediator's own page, the list, registration; the detail page.
export default [
  {
    path: 'disputes/mine',
    name: 'mediation',
    component: () => import('./MediatorHome.vue'),
    meta: {
      title: 'disputes.menu.mediation',
      desc: 'disputes.menuDesc.mediation',
      icon: ChatDotRound,
      group: 'disputes',
      order: 5,
      permission: 'dispute.mediate',
    },
  },
  {
    path: 'disputes',
    name: 'disputes',
    component: () => import('./DisputeList.vue'),
    meta: {
      title: 'disputes.menu.disputes',
      desc: 'disputes.menuDesc.disputes',
      icon: Memo,
      group: 'disputes',
      order: 10,
      permission: 'dispute.read',
    },
  },
  {
    path: 'disputes/new',
    name: 'disputeNew',
    component: () => import('./DisputeNew.vue'),
    meta: {
      title: 'disputes.menu.disputeNew',
      desc: 'disputes.menuDesc.disputeNew',
      icon: DocumentAdd,
      group: 'disputes',
      order: 20,
      permission: 'dispute.write',
    },
  },
  {
    path: 'disputes/watch',
    name: 'disputeWatch',
    component: () => import('./WatchList.vue'),
    meta: {
      title: 'disputes.menu.watch',
      desc: 'disputes.menuDesc.watch',
      icon: WarningFilled,
      group: 'disputes',
      order: 30,
      permission: 'dispute.write',
    },
  },
  {
    path: 'disputes/:id(\\d+)',
    name: 'dispute',
    component: () => import('./DisputeDetail.vue'),
    meta: { title: 'disputes.detail', permission: 'dispute.read', menu: 'disputes' },
  },
];

// Header search: a "dispute" result opens the dispute.
export const search = { dispute: { route: 'dispute', label: 'searchTypes.dispute' } };
