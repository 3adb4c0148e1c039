// Enumerations of the orgs API; labels in i18n under orgs.kinds / orgs.areaTypes.
export const ORG_KINDS = ['bureau', 'branch', 'station', 'police_room', 'beat', 'grid', 'village', 'community'];
export const AREA_TYPES = ['urban', 'suburban', 'rural'];

// Which kinds may sit under a parent of each kind (docs/api.md, Organisation).
const CHILDREN = {
  bureau: ['branch', 'station'],
  branch: ['station'],
  station: ['police_room', 'beat', 'community', 'village', 'grid'],
  police_room: ['beat', 'community', 'village', 'grid'],
  beat: ['community', 'village', 'grid'],
  community: ['grid'],
  village: ['grid'],
  grid: [],
};

export function childKinds(parentKind) {
  return CHILDREN[parentKind] || ORG_KINDS;
}
