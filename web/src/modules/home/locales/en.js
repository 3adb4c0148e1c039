// English texts of the home module. Keys mirror the other locale of this folder (test/i18n.test.js).
export default {
  home: {
    menu: { home: 'Home' },
    hello: 'Hello, {name}',
    quickLinks: 'Quick links',
    nothing: 'Your role has no pages here yet',
  },
};
