// English texts of the orgs module. Keys mirror the other locale of this folder (test/i18n.test.js).
export default {
  orgs: {
    menu: { orgs: 'Organisation' },
    menuDesc: { orgs: 'Branches, stations, police rooms, grids' },
    title: 'Organisation',
    createChild: 'New sub-unit',
    edit: 'Edit unit',
    selectHint: 'Select a unit in the tree',
    kind: 'Kind',
    kindRequired: 'Choose the kind',
    name: 'Name',
    code: 'Code',
    areaType: 'Area type',
    leader: 'Leader',
    residentAux: 'Resident auxiliary',
    residentAuxHint: 'One auxiliary officer per village (community)',
    parent: 'Parent unit',
    children: 'Sub-units',
    kinds: {
      bureau: 'Bureau',
      branch: 'Branch',
      station: 'Station',
      police_room: 'Police room',
      beat: 'Beat',
      grid: 'Grid',
      village: 'Village',
      community: 'Community',
    },
    areaTypes: { urban: 'Urban', suburban: 'Suburban', rural: 'Rural' },
  },
  // The permissions this module defines, as the user screens show them.
  permissions: {
    org: { read: 'See the org tree', write: 'Change the org tree' },
  },
};
