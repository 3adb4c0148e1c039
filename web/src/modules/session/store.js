import { defineStore } from 'pinia';
import { setCsrfToken } from '@/api/http';
import { fetchSession, signIn, signOut } from './api';
import { forgetOrgs } from '@/modules/orgs/useOrgs';

// The signed-in user, the CSRF token and the permissions, as GET /api/session
// answers them. `restriction` says which step a restricted session must take.
export const useSessionStore = defineStore('session', {
  state: () => ({
    user: null,
    permissions: [],
    loaded: false,
  }),
  getters: {
    signedIn: (s) => s.user !== null,
    restriction: (s) => {
      if (!s.user) return null;
      if (s.user.must_change_password) return 'password';
      if (s.user.totp_required && !s.user.totp_enrolled) return 'totp';
      return null;
    },
  },
  actions: {
    can(permission) {
      return this.permissions.includes(permission);
    },
    apply(session) {
      this.user = session && session.user ? session.user : null;
      this.permissions = (session && session.permissions) || [];
      setCsrfToken(session ? session.csrf_token : '');
      this.loaded = true;
    },
    clear() {
      forgetOrgs();
      this.apply(null);
    },
    async refresh() {
      try {
        this.apply(await fetchSession());
      } catch {
        this.clear();
      }
      return this.user;
    },
    async login(username, password, totp) {
      const body = { username, password };
      if (totp) body.totp = totp;
      this.apply(await signIn(body));
      return this.user;
    },
    async logout() {
      try {
        await signOut();
      } finally {
        this.clear();
      }
    },
  },
});
