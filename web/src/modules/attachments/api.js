// The attachments API (docs/api.md "Attachments"): the body of an upload is
// the file itself, its name a query argument.
import { http, upload } from '@/api/http';

export const listAttachments = (recordType, recordId, kind) => http.get('/api/attachments', { record_type: recordType, record_id: recordId, kind });

export const uploadAttachment = (recordType, recordId, file, { name, kind, onProgress, silent } = {}) =>
  upload('/api/attachments', { record_type: recordType, record_id: recordId, name: name ?? file.name, kind }, file, {
    onProgress,
    silent,
  });

export const deleteAttachment = (id) => http.del(`/api/attachments/${id}`);
export const contentUrl = (id) => `/api/attachments/${id}/content`;
export const thumbnailUrl = (id) => `/api/attachments/${id}/thumbnail`;
