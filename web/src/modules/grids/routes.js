import { Checked, MapLocation } from '@element-plus/icons-vue';

// 网格: the map of the station's areas, the coverage check, a unit's page.
export default [
  {
    path: 'grids/map',
    name: 'gridMap',
    component: () => import('./GridMap.vue'),
    meta: {
      title: 'grids.menu.map',
      desc: 'grids.menuDesc.map',
      icon: MapLocation,
      group: 'foundation',
      order: 25,
      permission: 'grid.read',
    },
  },
  {
    path: 'grids/coverage',
    name: 'gridCoverage',
    component: () => import('./GridCoverage.vue'),
    meta: {
      title: 'grids.menu.coverage',
      desc: 'grids.menuDesc.coverage',
      icon: Checked,
      group: 'foundation',
      order: 26,
      permission: 'grid.read',
    },
  },
  {
    path: 'grids/:id(\\d+)',
    name: 'grid',
    component: () => import('./GridPage.vue'),
    meta: { title: 'grids.page', permission: 'grid.read', menu: 'gridMap' },
  },
];
