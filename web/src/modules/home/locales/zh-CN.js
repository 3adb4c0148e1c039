// 简体中文 texts of the home module. Keys mirror the other locale of this folder (test/i18n.test.js).
export default {
  home: {
    menu: { home: '首页' },
    hello: '{name}，您好',
    publicLinks: {
      tip: { title: '报告线索', desc: '发现可疑情况、安全隐患、矛盾苗头，拍照报告，可以匿名' },
      tipStatus: { title: '查询线索进度', desc: '凭报告时得到的线索编号查询' },
    },
    quickLinks: '常用功能',
    nothing: '当前角色暂无可用功能',
    // What each role does here, for the roles without figures of their own.
    roleIntro: {
      sysadmin: '您负责系统本身：管理用户账号和组织机构，维护地址库。业务数据（警情、勤务）不在您的职责内。',
      secadmin: '您负责账号安全：查看用户、分配角色。角色变更都会记入审计日志。',
      auditor: '您负责审计：查阅和核验审计日志，了解谁在何时做了什么。审计日志只能查阅，不能修改。',
      mediator: '您参与矛盾纠纷调解。分派给您的纠纷、本周的调解安排和期限提醒在左侧菜单「我的调解」中。',
      counselor: '您参与心理疏导和关爱帮扶。相关模块上线后，您的工作会显示在这里；目前您可以查看组织机构。',
      volunteer: '感谢您参与群防群治。巡逻和线索上报等功能上线后会显示在这里；目前您可以查看组织机构。',
      resident:
        '欢迎使用。发现违法犯罪线索、安全隐患或矛盾纠纷苗头，可以在这里向派出所报告（可以匿名），并凭线索编号查询处理进度。其他便民服务上线后也会显示在这里。',
      other: '您可以使用左侧菜单中的功能。',
    },
  },
  overview: {
    station: '所情概览',
    mine: '我的概览',
    unit: '范围：{name}',
    periods: { today: '今日', week: '本周' },
    periodRange: '{from} 至 {to}',
    updated: '截至 {time}，有变化即时更新',
    refresh: '刷新',
    loadFailed: '概览暂时无法加载，将自动重试',
    noData: '暂无数据',
    noFigures: '您的权限下暂无可显示的数据',
    leaderHint: '您正在带班，下方是本所的所情概览。',
    showStation: '查看所情概览',
    perCent: '{v}%',
    none: '—',
    cards: {
      incidents: {
        received: '接警',
        open: '未结警情',
        late: '到场超时',
        on_time_rate: '按时到场率',
        closed: '已结警',
        satisfaction_rate: '回访满意率',
        repeats: '重复警情',
        free: '空闲警力',
        my_open: '我的在办警情',
        my_dispatched: '我的出警',
      },
      duty: {
        on_duty: '在岗人员',
        patrols_out: '在巡巡逻',
        my_shift: '我的班次',
        my_patrol: '我的巡逻',
      },
    },
    // The line under a card's figure.
    hints: {
      incidents: {
        received: '按接警时间统计',
        open: '当前全部未结警情',
        late: '超过到场时限（含尚未到场已超时）',
        on_time_rate: '已到场 {arrived} 起，按时 {on_time} 起',
        closed: '本期接警中已结警',
        satisfaction_rate: '回访 {followups} 次，满意 {satisfied} 次',
        repeats: '与此前警情关联',
        free: '当前在岗 {on_duty} 人，未在处警',
        my_open: '已派给我、尚未结束',
        my_dispatched: '本期派我出警，已到场 {arrived} 起',
      },
      duty: {
        on_duty: '当前班次在岗',
        patrols_out: '正在进行的巡逻',
        my_shift: '{position}，{start} – {end}',
        my_patrol: '{team}，{start} 出发',
      },
    },
    noShift: '暂无排班',
    noPatrol: '未在巡逻',
    charts: {
      incidents: {
        by_hour: '各时段接警',
        by_unit: '各网格接警',
        disposals: '结警方式',
        satisfaction: '回访满意度',
      },
    },
    hour: '{h}时',
    calls: '起',
    clickHint: '点击数字或图表可查看对应警情',
  },
  permissions: {
    overview: { read: '查看所情概览', mine: '查看本人概览' },
  },
};
