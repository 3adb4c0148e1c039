import { List, OfficeBuilding } from '@element-plus/icons-vue';

// 单位场所: the list, a place's page, the inspection form (made for a
// phone), the station's checklists.
export default [
  {
    path: 'places',
    name: 'places',
    component: () => import('./PlaceList.vue'),
    meta: {
      title: 'places.menu.places',
      desc: 'places.menuDesc.places',
      icon: OfficeBuilding,
      group: 'foundation',
      order: 30,
      permission: 'place.read',
    },
  },
  {
    path: 'places/checklists',
    name: 'placeChecklists',
    component: () => import('./ChecklistSettings.vue'),
    meta: {
      title: 'places.menu.checklists',
      desc: 'places.menuDesc.checklists',
      icon: List,
      group: 'foundation',
      order: 35,
      permission: 'place.read',
    },
  },
  {
    path: 'places/:id(\\d+)',
    name: 'place',
    component: () => import('./PlaceDetail.vue'),
    meta: { title: 'places.detail', permission: 'place.read', menu: 'places' },
  },
  {
    path: 'places/:id(\\d+)/inspect',
    name: 'placeInspect',
    component: () => import('./PlaceInspect.vue'),
    meta: { title: 'places.inspection.title', permission: 'place.inspect', menu: 'places' },
  },
];

// Header search: a "place" result opens the place.
export const search = { place: { route: 'place', label: 'searchTypes.place' } };
