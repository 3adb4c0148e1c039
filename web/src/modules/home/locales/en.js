// English texts of the home module. Keys mirror the other locale of this folder (test/i18n.test.js).
export default {
  home: {
    menu: { home: 'Home' },
    hello: 'Hello, {name}',
    publicLinks: {
      tip: { title: 'Report a tip', desc: 'Something suspicious, a hazard, a brewing dispute: tell us, with a photo, anonymously if you wish' },
      tipStatus: { title: 'Follow a tip', desc: 'By the code you were given when you reported it' },
    },
    quickLinks: 'Quick links',
    nothing: 'Your role has no pages here yet',
    // What each role does here, for the roles without figures of their own.
    roleIntro: {
      sysadmin:
        'You look after the system itself: user accounts, the organisation tree and the address register. Police work (incidents, duty) is not part of your role.',
      secadmin: 'You look after account security: you see the users and assign their roles. Every change of a role is written to the audit log.',
      auditor: 'You audit: you read and verify the audit log, which says who did what and when. The log can be read, never changed.',
      mediator:
        'You take part in mediating disputes. The disputes assigned to you, your sessions this week and the deadlines are under "My mediation" in the menu.',
      counselor: 'You take part in counselling and care. When those modules arrive, your work will show here; for now you can look up the organisation.',
      volunteer:
        'Thank you for joining community safety work. Patrols and tip reporting will show here when they arrive; for now you can look up the organisation.',
      resident:
        'Welcome. Here you can tell the station about a crime, a hazard or a brewing dispute (anonymously if you wish) and follow it by its tip code. Other resident services will appear here when they arrive.',
      other: 'Use the pages in the menu on the left.',
    },
  },
  overview: {
    station: 'Station overview',
    mine: 'My overview',
    unit: 'Unit: {name}',
    periods: { today: 'Today', week: 'This week' },
    periodRange: '{from} to {to}',
    updated: 'Current at {time}; a change shows at once',
    refresh: 'Refresh',
    loadFailed: 'The overview cannot be loaded just now; it will try again',
    noData: 'No data',
    noFigures: 'Nothing to show with your permissions',
    leaderHint: 'You are leading the shift: the station overview is below.',
    showStation: 'Show the station overview',
    perCent: '{v}%',
    none: '—',
    cards: {
      incidents: {
        received: 'Calls received',
        open: 'Open calls',
        late: 'Late arrivals',
        on_time_rate: 'On-time arrival',
        closed: 'Closed',
        satisfaction_rate: 'Satisfaction',
        repeats: 'Repeat calls',
        free: 'Free to dispatch',
        my_open: 'My open calls',
        my_dispatched: 'Calls I was sent to',
      },
      duty: {
        on_duty: 'On duty',
        patrols_out: 'Patrols out',
        my_shift: 'My shift',
        my_patrol: 'My patrol',
      },
    },
    // The line under a card's figure.
    hints: {
      incidents: {
        received: 'by the time the call came in',
        open: 'every call not yet closed',
        late: 'over the arrival target (or not there yet and over it)',
        on_time_rate: '{on_time} of {arrived} arrivals on time',
        closed: 'calls of the period closed',
        satisfaction_rate: '{satisfied} of {followups} follow-up calls satisfied',
        repeats: 'linked to earlier calls',
        free: '{on_duty} on duty now, not on a call',
        my_open: 'sent to me and not finished',
        my_dispatched: 'sent to me in the period; on scene at {arrived}',
      },
      duty: {
        on_duty: 'on the current shifts',
        patrols_out: 'patrols under way',
        my_shift: '{position}, {start} – {end}',
        my_patrol: '{team}, out since {start}',
      },
    },
    noShift: 'No shift planned',
    noPatrol: 'Not on patrol',
    charts: {
      incidents: {
        by_hour: 'Calls by hour',
        by_unit: 'Calls by grid',
        disposals: 'How calls were closed',
        satisfaction: 'Follow-up satisfaction',
      },
    },
    hour: '{h}:00',
    calls: 'calls',
    clickHint: 'Click a figure or a chart to see the calls behind it',
  },
  permissions: {
    overview: { read: 'See the station overview', mine: 'See my own overview' },
  },
};
