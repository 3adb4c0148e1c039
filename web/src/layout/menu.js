import { House, User, Location, OfficeBuilding, Avatar, Document } from '@element-plus/icons-vue';

// The side menu: each entry shows only when the session holds its permission.
export const MENU = [
  { name: 'home', label: 'nav.home', icon: House },
  { name: 'persons', label: 'nav.persons', icon: User, perm: 'person.read' },
  { name: 'addresses', label: 'nav.addresses', icon: Location, perm: 'address.read' },
  { name: 'orgs', label: 'nav.orgs', icon: OfficeBuilding, perm: 'org.read' },
  { name: 'users', label: 'nav.users', icon: Avatar, perm: 'user.read' },
  { name: 'audit', label: 'nav.audit', icon: Document, perm: 'audit.read' },
];

export function visibleMenu(can) {
  return MENU.filter((m) => !m.perm || can(m.perm));
}
