import { Flag, UserFilled } from '@element-plus/icons-vue';

// 群防群治: volunteer teams and volunteers (staff); the volunteer's own page
// is a part of the home page (VolunteerHome.vue).
export default [
  {
    path: 'volunteers/teams',
    name: 'volunteerTeams',
    component: () => import('./TeamList.vue'),
    meta: {
      title: 'volunteers.menu.teams',
      desc: 'volunteers.menuDesc.teams',
      icon: Flag,
      group: 'prevention',
      order: 40,
      permission: 'volunteer.read',
    },
  },
  {
    path: 'volunteers/teams/:id(\\d+)',
    name: 'volunteerTeam',
    component: () => import('./TeamPage.vue'),
    meta: { title: 'volunteers.team', menu: 'volunteerTeams', permission: 'volunteer.read' },
  },
  {
    path: 'volunteers',
    name: 'volunteers',
    component: () => import('./VolunteerList.vue'),
    meta: {
      title: 'volunteers.menu.volunteers',
      desc: 'volunteers.menuDesc.volunteers',
      icon: UserFilled,
      group: 'prevention',
      order: 45,
      permission: 'volunteer.read',
    },
  },
  {
    path: 'volunteers/:id(\\d+)',
    name: 'volunteer',
    component: () => import('./VolunteerPage.vue'),
    meta: { title: 'volunteers.volunteer', menu: 'volunteers', permission: 'volunteer.read' },
  },
];
