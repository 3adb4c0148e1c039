import { Finished } from '@element-plus/icons-vue';

// 我的待办: everything that needs my action, for every signed-in role; and
// the page where a chief approves a shift below its template.
export default [
  {
    path: 'work',
    name: 'work',
    component: () => import('./WorkPage.vue'),
    meta: { title: 'work.menu.work', desc: 'work.menuDesc.work', icon: Finished, group: 'top', order: 5 },
  },
  {
    path: 'work/shifts/:id(\\d+)',
    name: 'shiftApproval',
    component: () => import('./ShiftApproval.vue'),
    meta: { title: 'work.approval.title', permission: 'duty.override', menu: 'work' },
  },
];
