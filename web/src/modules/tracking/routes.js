// 一案一码: the public tracking page, outside the app layout (no menu, no
// sign-in). /track/<code> is what the acceptance notice's QR code opens.
export default [];

export const outside = [
  {
    path: '/track/:code?',
    name: 'track',
    component: () => import('./TrackPage.vue'),
    meta: { title: 'tracking.title', public: true },
  },
];
