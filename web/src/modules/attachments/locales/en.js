// English texts of the attachments module (AttachmentBox). Keys mirror the other locale of this folder.
export default {
  attachments: {
    title: 'Photos and files',
    count: '{n}',
    empty: 'No attachments yet',
    hint: 'Drop files here, paste a screenshot, or choose; JPG and PNG photos and PDF documents are taken',
    choose: 'Choose files',
    camera: 'Take a photo',
    uploading: 'Uploading {name}',
    uploaded: 'Uploaded {name}',
    open: 'View',
    download: 'Download',
    remove: 'Delete',
    removeConfirm: 'Delete the attachment "{name}"? The file cannot be brought back; the record of its deletion stays.',
    removed: 'Attachment deleted',
    by: 'By {name}, {time}',
    pdf: 'PDF document',
    kinds: { file: 'File', signature: 'Signature' },
    errors: {
      file_too_large: '"{name}" is too large: attachments are at most {max}. Make it smaller or split it.',
      file_type: '"{name}" is not a type that is taken: only JPG and PNG photos and PDF documents.',
      name_type: '"{name}" has an extension that does not match its content (a photo renamed .pdf?): upload it under its own name.',
      empty_file: '"{name}" is empty.',
      bad_image: '"{name}" looks like an image but cannot be read: it may be damaged.',
      image_too_large: '"{name}" has too many pixels: make it smaller in the phone\'s gallery and try again.',
      too_many: 'This record has as many attachments as it may have: delete one first.',
      network: 'Uploading "{name}" failed: the network dropped. Try again.',
      other: 'Uploading "{name}" failed: {message}',
    },
  },
  // The audit log's words for this module's actions.
  audit: {
    actions: { attachment_create: 'Attachment uploaded', attachment_delete: 'Attachment deleted', attachment_download: 'Attachment downloaded' },
  },
  // The permissions this module defines, as the user screens show them.
  permissions: {
    attachment: { read: 'See attachments', write: 'Upload and delete attachments' },
  },
};
