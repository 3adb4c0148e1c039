import { Finished, Monitor, PhoneFilled, Tickets } from '@element-plus/icons-vue';

// 接处警: intake, the live board, the list, the daily clear; detail pages.
export default [
  {
    path: 'incidents/new',
    name: 'incidentNew',
    component: () => import('./IntakePage.vue'),
    meta: {
      title: 'incidents.menu.incidentNew',
      desc: 'incidents.menuDesc.incidentNew',
      icon: PhoneFilled,
      group: 'incidents',
      order: 10,
      permission: 'incident.write',
    },
  },
  {
    path: 'incidents/board',
    name: 'incidentBoard',
    component: () => import('./BoardPage.vue'),
    meta: {
      title: 'incidents.menu.incidentBoard',
      desc: 'incidents.menuDesc.incidentBoard',
      icon: Monitor,
      group: 'incidents',
      order: 20,
      permission: 'incident.read',
    },
  },
  {
    path: 'incidents',
    name: 'incidents',
    component: () => import('./IncidentList.vue'),
    meta: {
      title: 'incidents.menu.incidents',
      desc: 'incidents.menuDesc.incidents',
      icon: Tickets,
      group: 'incidents',
      order: 30,
      permission: 'incident.read',
    },
  },
  {
    path: 'incidents/daily-clear',
    name: 'dailyClear',
    component: () => import('./DailyClear.vue'),
    meta: {
      title: 'incidents.menu.dailyClear',
      desc: 'incidents.menuDesc.dailyClear',
      icon: Finished,
      group: 'incidents',
      order: 40,
      permission: 'incident.read',
    },
  },
  {
    path: 'incidents/:id(\\d+)',
    name: 'incident',
    component: () => import('./IncidentDetail.vue'),
    meta: { title: 'incidents.detail', permission: 'incident.read', menu: 'incidents' },
  },
  {
    path: 'incidents/:id(\\d+)/onsite',
    name: 'incidentOnsite',
    component: () => import('./OnsiteRecord.vue'),
    meta: { title: 'incidents.onsite.title', permission: 'incident.read', menu: 'incidents' },
  },
];

// Header search: an "incident" result opens the incident.
export const search = { incident: { route: 'incident', label: 'searchTypes.incident' } };
