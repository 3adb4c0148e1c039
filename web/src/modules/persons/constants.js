// The enumerations of the persons API (docs/api.md); labels are in i18n under
// persons.docTypes / persons.tagNames.
export const DOC_TYPES = ['id_card', 'passport', 'hk_macau_permit', 'taiwan_permit', 'foreign_permanent', 'other'];
export const TAGS = ['elderly', 'disabled', 'minor', 'foreigner', 'special_group'];
