// 简体中文 texts of the addresses module. Keys mirror the other locale of this folder (test/i18n.test.js).
export default {
  addresses: {
    menu: { addresses: '标准地址' },
    menuDesc: { addresses: '一址一档：维护标准地址' },
    title: '标准地址',
    create: '新增地址',
    edit: '编辑地址',
    searchPlaceholder: '搜索地址',
    fullText: '地址',
    divisionCode: '区划代码',
    divisionInvalid: '区划代码为 6 位数字',
    street: '街路巷',
    doorNo: '门牌号',
    building: '楼栋',
    unit: '单元',
    floor: '楼层',
    room: '户室',
    lat: '纬度',
    lng: '经度',
    latInvalid: '纬度应在 -90 到 90 之间',
    lngInvalid: '经度应在 -180 到 180 之间',
    coordsPair: '经度和纬度须同时填写或同时留空',
    coords: '坐标',
    grid: '所属网格',
    gridByPoint: '留空则按坐标落入网格',
    gridRequired: '请选择所属网格，或填写坐标',
  },
  // The permissions this module defines, as the user screens show them.
  permissions: {
    address: { read: '查看标准地址', write: '维护标准地址' },
  },
};
