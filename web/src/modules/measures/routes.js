import { Histogram, Lock } from '@element-plus/icons-vue';

// 技防物防: the list, a measure's page (with a check form made for a phone)
// and the coverage of homes per grid.
export default [
  {
    path: 'measures',
    name: 'measures',
    component: () => import('./MeasureList.vue'),
    meta: { title: 'measures.menu.list', desc: 'measures.menuDesc.list', icon: Lock, group: 'prevention', order: 50, permission: 'measure.read' },
  },
  {
    path: 'measures/coverage',
    name: 'measureCoverage',
    component: () => import('./MeasureCoverage.vue'),
    meta: { title: 'measures.menu.coverage', desc: 'measures.menuDesc.coverage', icon: Histogram, group: 'prevention', order: 51, permission: 'measure.read' },
  },
  {
    path: 'measures/:id(\\d+)',
    name: 'measure',
    component: () => import('./MeasureDetail.vue'),
    meta: { title: 'measures.detail', permission: 'measure.read', menu: 'measures' },
  },
];
