import { createRouter, createWebHashHistory } from 'vue-router';
import { useSessionStore } from '@/modules/session/store';

// Hash history: the app works from any static file server, with no
// index.html fallback needed for deep links.
const routes = [
  { path: '/login', name: 'login', component: () => import('@/modules/session/LoginPage.vue'), meta: { public: true } },
  { path: '/password', name: 'password', component: () => import('@/modules/session/PasswordPage.vue') },
  { path: '/totp', name: 'totp', component: () => import('@/modules/session/TotpPage.vue') },
  {
    path: '/',
    component: () => import('@/layout/AppLayout.vue'),
    children: [
      { path: '', name: 'home', component: () => import('@/modules/home/HomePage.vue') },
      { path: 'incidents/new', name: 'incidentNew', component: () => import('@/modules/incidents/IntakePage.vue'), meta: { perm: 'incident.write' } },
      { path: 'incidents/board', name: 'incidentBoard', component: () => import('@/modules/incidents/BoardPage.vue'), meta: { perm: 'incident.read' } },
      { path: 'incidents/daily-clear', name: 'dailyClear', component: () => import('@/modules/incidents/DailyClear.vue'), meta: { perm: 'incident.read' } },
      { path: 'incidents', name: 'incidents', component: () => import('@/modules/incidents/IncidentList.vue'), meta: { perm: 'incident.read' } },
      { path: 'incidents/:id(\\d+)', name: 'incident', component: () => import('@/modules/incidents/IncidentDetail.vue'), meta: { perm: 'incident.read', menu: 'incidents' } },
      { path: 'incidents/:id(\\d+)/onsite', name: 'incidentOnsite', component: () => import('@/modules/incidents/OnsiteRecord.vue'), meta: { perm: 'incident.read', menu: 'incidents' } },
      { path: 'duty/roster', name: 'dutyRoster', component: () => import('@/modules/duty/RosterPage.vue'), meta: { perm: 'duty.read' } },
      { path: 'duty/handovers', name: 'handovers', component: () => import('@/modules/duty/HandoverPage.vue'), meta: { perm: 'duty.read' } },
      { path: 'duty/handovers/:id(\\d+)', name: 'handover', component: () => import('@/modules/duty/HandoverDetail.vue'), meta: { perm: 'duty.read', menu: 'handovers' } },
      { path: 'duty/patrols', name: 'patrols', component: () => import('@/modules/duty/PatrolPage.vue'), meta: { perm: 'duty.read' } },
      { path: 'persons', name: 'persons', component: () => import('@/modules/persons/PersonList.vue'), meta: { perm: 'person.read' } },
      { path: 'persons/:id', name: 'person', component: () => import('@/modules/persons/PersonDetail.vue'), meta: { perm: 'person.read', menu: 'persons' } },
      { path: 'addresses', name: 'addresses', component: () => import('@/modules/addresses/AddressList.vue'), meta: { perm: 'address.read' } },
      { path: 'orgs', name: 'orgs', component: () => import('@/modules/orgs/OrgPage.vue'), meta: { perm: 'org.read' } },
      { path: 'users', name: 'users', component: () => import('@/modules/users/UserList.vue'), meta: { perm: 'user.read' } },
      { path: 'audit', name: 'audit', component: () => import('@/modules/audit/AuditPage.vue'), meta: { perm: 'audit.read' } },
    ],
  },
  { path: '/:rest(.*)*', redirect: { name: 'home' } },
];

export const router = createRouter({ history: createWebHashHistory(), routes });

router.beforeEach(async (to) => {
  const session = useSessionStore();
  if (!session.loaded) await session.refresh();

  if (to.meta.public) {
    return session.signedIn && to.name === 'login' ? { name: 'home' } : true;
  }
  if (!session.signedIn) {
    return to.name === 'home' ? { name: 'login' } : { name: 'login', query: { next: to.fullPath } };
  }

  // A restricted session may only take the step it is missing.
  const step = session.restriction;
  if (step === 'password') return to.name === 'password' ? true : { name: 'password' };
  if (step === 'totp') return to.name === 'totp' ? true : { name: 'totp' };
  if (to.name === 'totp' && session.user.totp_enrolled) return { name: 'home' };

  if (to.meta.perm && !session.can(to.meta.perm)) return { name: 'home' };
  return true;
});
