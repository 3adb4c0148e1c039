import { ref } from 'vue';
import { listRoles } from './api';

// Roles and their permissions from GET /api/roles, fetched once.
const roles = ref([]);
let inflight = null;

export function useRoles() {
  function ensure() {
    if (roles.value.length) return Promise.resolve(roles.value);
    if (!inflight) {
      inflight = listRoles()
        .then((res) => {
          roles.value = (res && res.items) || [];
          return roles.value;
        })
        .catch(() => [])
        .finally(() => {
          inflight = null;
        });
    }
    return inflight;
  }
  return { roles, ensure };
}

// A privileged role (the 三员: sysadmin, secadmin, auditor) can only be given
// by a holder of role.assign. GET /api/roles says which; the list is a fallback.
const PRIVILEGED = ['sysadmin', 'secadmin', 'auditor'];

export function isPrivileged(role) {
  return typeof role.privileged === 'boolean' || typeof role.privileged === 'number' ? Boolean(role.privileged) : PRIVILEGED.includes(role.name);
}
