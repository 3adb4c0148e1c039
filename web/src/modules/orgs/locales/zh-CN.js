// 简体中文 texts of the orgs module. Keys mirror the other locale of this folder (test/i18n.test.js).
export default {
  orgs: {
    menu: { orgs: '组织机构' },
    menuDesc: { orgs: '分局、派出所、警务室、网格' },
    title: '组织机构',
    createChild: '新增下级',
    edit: '编辑机构',
    selectHint: '请在左侧选择一个机构',
    kind: '类型',
    kindRequired: '请选择类型',
    name: '名称',
    code: '代码',
    areaType: '区域类型',
    leader: '负责人',
    residentAux: '驻村辅警',
    residentAuxHint: '一村一辅警：村（社区）的驻点辅警',
    parent: '上级机构',
    children: '下级数量',
    kinds: {
      bureau: '市局',
      branch: '分局',
      station: '派出所',
      police_room: '警务室',
      beat: '责任区',
      grid: '网格',
      village: '村',
      community: '社区',
    },
    areaTypes: { urban: '城区', suburban: '城郊', rural: '农村' },
  },
  // The permissions this module defines, as the user screens show them.
  permissions: {
    org: { read: '查看组织机构', write: '管理组织机构' },
  },
};
