// 简体中文 texts of the home module. Keys mirror the other locale of this folder (test/i18n.test.js).
export default {
  home: {
    menu: { home: '首页' },
    hello: '{name}，您好',
    quickLinks: '常用功能',
    nothing: '当前角色暂无可用功能',
  },
};
