import { createRouter, createWebHashHistory } from 'vue-router';
import { useSessionStore } from '@/modules/session/store';
import { assembleModules, moduleOf } from '@/kit/assemble';

// Every module declares its pages in modules/<module>/routes.js (see
// kit/assemble.js): adding a module needs no edit here.
const files = import.meta.glob('./modules/*/routes.js', { eager: true });
const modules = assembleModules(Object.entries(files).map(([path, exports]) => ({ module: moduleOf(path), exports })));

/** What header search can find and where each result type links. */
export const searchSources = modules.search;

// Hash history: the app works from any static file server, with no
// index.html fallback needed for deep links.
const routes = [
  ...modules.outside,
  { path: '/', component: () => import('@/layout/AppLayout.vue'), children: modules.routes },
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

  // The same meta.permission decides whether the menu shows the entry.
  if (to.meta.permission && !session.can(to.meta.permission)) return { name: 'home' };
  return true;
});
