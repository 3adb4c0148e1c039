import { ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { incidentDictionary } from './api';

// The incident dictionary (channels, categories, disposals …) is fetched once
// per page load and shared; its values are codes, the labels are in i18n
// under incidents.* (an unknown code shows as itself).
const dict = ref(null);
let pending = null;

export function loadDictionary() {
  if (dict.value) return Promise.resolve(dict.value);
  if (!pending) {
    pending = incidentDictionary()
      .then((d) => {
        dict.value = d || {};
        return dict.value;
      })
      .finally(() => {
        pending = null;
      });
  }
  return pending;
}

// Status codes of the lifecycle, for filters and tags.
export const STATUSES = ['received', 'dispatched', 'on_scene', 'handling', 'closed', 'reviewed'];
export const OPEN_STATUSES = ['received', 'dispatched', 'on_scene', 'handling'];

export const STATUS_TAG = {
  received: 'danger',
  dispatched: 'warning',
  on_scene: 'primary',
  handling: 'primary',
  closed: 'success',
  reviewed: 'info',
};

export function useDictionary() {
  const { t, te } = useI18n();
  const label = (group, code) => {
    if (code === null || code === undefined || code === '') return '—';
    const key = `incidents.${group}.${code}`;
    return te(key) ? t(key) : String(code);
  };
  return {
    dict,
    load: loadDictionary,
    label,
    channel: (c) => label('channels', c),
    category: (c) => label('categories', c),
    subcategory: (c) => label('subcategories', c),
    status: (c) => label('statuses', c),
    disposal: (c) => label('disposals', c),
    satisfaction: (c) => label('satisfactions', c),
    partyRole: (c) => label('partyRoles', c),
    signatureRole: (c) => label('signatureRoles', c),
    areaType: (c) => (te(`orgs.areaTypes.${c}`) ? t(`orgs.areaTypes.${c}`) : label('areaTypes', c)),
    action: (c) => label('stepActions', c),
  };
}

/** The subcategory codes of a category in the dictionary. */
export function subcategoriesOf(d, category) {
  const cats = (d && d.categories) || [];
  const c = cats.find((x) => (typeof x === 'string' ? x : x.value) === category);
  return c && typeof c === 'object' ? c.subcategories || [] : [];
}

/** The category codes of the dictionary. */
export function categoriesOf(d) {
  return ((d && d.categories) || []).map((x) => (typeof x === 'string' ? x : x.value));
}
