import { House, User, Location, OfficeBuilding, Avatar, Document } from '@element-plus/icons-vue';
import { PhoneFilled, Monitor, Tickets, Finished } from '@element-plus/icons-vue';
import { Calendar, Switch, Guide } from '@element-plus/icons-vue';

// The side menu: each entry shows only when the session holds its permission.
export const MENU = [
  { name: 'home', label: 'nav.home', icon: House },
  { name: 'incidentNew', label: 'nav.incidentNew', icon: PhoneFilled, perm: 'incident.write' },
  { name: 'incidentBoard', label: 'nav.incidentBoard', icon: Monitor, perm: 'incident.read' },
  { name: 'incidents', label: 'nav.incidents', icon: Tickets, perm: 'incident.read' },
  { name: 'dailyClear', label: 'nav.dailyClear', icon: Finished, perm: 'incident.read' },
  { name: 'dutyRoster', label: 'nav.dutyRoster', icon: Calendar, perm: 'duty.read' },
  { name: 'handovers', label: 'nav.handovers', icon: Switch, perm: 'duty.read' },
  { name: 'patrols', label: 'nav.patrols', icon: Guide, perm: 'duty.read' },
  { name: 'persons', label: 'nav.persons', icon: User, perm: 'person.read' },
  { name: 'addresses', label: 'nav.addresses', icon: Location, perm: 'address.read' },
  { name: 'orgs', label: 'nav.orgs', icon: OfficeBuilding, perm: 'org.read' },
  { name: 'users', label: 'nav.users', icon: Avatar, perm: 'user.read' },
  { name: 'audit', label: 'nav.audit', icon: Document, perm: 'audit.read' },
];

export function visibleMenu(can) {
  return MENU.filter((m) => !m.perm || can(m.perm));
}
