// Signing in and the steps a restricted session must take: outside the app
// layout, no menu entry.
export default [];

export const outside = [
  {
    path: '/login',
    name: 'login',
    component: () => import('./LoginPage.vue'),
    meta: { title: 'login.title', public: true },
  },
  { path: '/password', name: 'password', component: () => import('./PasswordPage.vue'), meta: { title: 'password.title' } },
  { path: '/totp', name: 'totp', component: () => import('./TotpPage.vue'), meta: { title: 'totp.title' } },
];
