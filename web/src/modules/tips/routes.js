import { Aim, DataAnalysis, EditPen, Tickets } from '@element-plus/icons-vue';

// 群众线索: report (phone-first; the volunteer's home links to `tip-new`),
// my own tips, the officers' list and a tip's page with its triage, and the
// figures. Outside the layout: the public report page and the status page.
export default [
  {
    path: 'tips/new',
    name: 'tip-new',
    component: () => import('./TipNew.vue'),
    meta: { title: 'tips.menu.new', desc: 'tips.menuDesc.new', icon: EditPen, group: 'prevention', order: 40, permission: 'tip.report' },
  },
  {
    path: 'tips/mine',
    name: 'tipsMine',
    component: () => import('./MyTips.vue'),
    meta: { title: 'tips.menu.mine', desc: 'tips.menuDesc.mine', icon: Tickets, group: 'prevention', order: 41, permission: 'tip.report' },
  },
  {
    path: 'tips',
    name: 'tips',
    component: () => import('./TipList.vue'),
    meta: { title: 'tips.menu.list', desc: 'tips.menuDesc.list', icon: Aim, group: 'prevention', order: 42, permission: 'tip.read' },
  },
  {
    path: 'tips/figures',
    name: 'tipFigures',
    component: () => import('./TipFigures.vue'),
    meta: { title: 'tips.menu.figures', desc: 'tips.menuDesc.figures', icon: DataAnalysis, group: 'prevention', order: 43, permission: 'tip.read' },
  },
  {
    path: 'tips/:id(\\d+)',
    name: 'tip',
    component: () => import('./TipDetail.vue'),
    meta: { title: 'tips.detail', permission: 'tip.report', menu: 'tips' },
  },
];

// Header search: a tip found opens its page (officers in scope).
export const search = { tip: { route: 'tip', label: 'searchTypes.tip' } };

// The public pages: report without signing in, and the status by code.
export const outside = [
  {
    path: '/tip',
    name: 'tipPublic',
    component: () => import('./PublicTip.vue'),
    meta: { title: 'tips.public.title', public: true },
  },
  {
    path: '/tip/status/:code?',
    name: 'tipStatus',
    component: () => import('./TipStatus.vue'),
    meta: { title: 'tips.statusPage.title', public: true },
  },
];
