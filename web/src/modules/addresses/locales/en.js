// English texts of the addresses module. Keys mirror the other locale of this folder (test/i18n.test.js).
export default {
  addresses: {
    menu: { addresses: 'Addresses' },
    menuDesc: { addresses: 'One place, one file: standard addresses' },
    title: 'Standard addresses',
    create: 'New address',
    edit: 'Edit address',
    searchPlaceholder: 'Search addresses',
    fullText: 'Address',
    divisionCode: 'Division code',
    divisionInvalid: 'The division code has 6 digits',
    street: 'Street',
    doorNo: 'Door no.',
    building: 'Building',
    unit: 'Unit',
    floor: 'Floor',
    room: 'Room',
    lat: 'Latitude',
    lng: 'Longitude',
    latInvalid: 'Latitude is between -90 and 90',
    lngInvalid: 'Longitude is between -180 and 180',
    coordsPair: 'Give both latitude and longitude, or neither',
    coords: 'Coordinates',
    grid: 'Grid',
    gridByPoint: 'Empty: the grid holding the point',
    gridRequired: 'Choose the grid, or give coordinates',
  },
  // The permissions this module defines, as the user screens show them.
  permissions: {
    address: { read: 'See addresses', write: 'Add and change addresses' },
  },
};
