// 简体中文 texts of the attachments module (AttachmentBox). Keys mirror the other locale of this folder.
export default {
  attachments: {
    title: '照片和附件',
    count: '{n} 个',
    empty: '还没有附件',
    hint: '拖入文件、粘贴截图，或点击选择；接受 JPG、PNG 照片和 PDF 文档',
    choose: '选择文件',
    camera: '拍照',
    uploading: '正在上传 {name}',
    uploaded: '已上传 {name}',
    open: '查看',
    download: '下载',
    remove: '删除',
    removeConfirm: '删除附件「{name}」？删除后文件不能找回，删除记录会保留。',
    removed: '附件已删除',
    by: '{name} 上传于 {time}',
    pdf: 'PDF 文档',
    kinds: { file: '附件', signature: '签名' },
    errors: {
      file_too_large: '「{name}」太大了：附件最大 {max}。请压缩后再传，或分成几个文件。',
      file_type: '「{name}」不是可接受的文件类型：只接受 JPG、PNG 照片和 PDF 文档。',
      name_type: '「{name}」的扩展名和文件内容不符（例如把照片改名为 .pdf），请用原始文件名上传。',
      empty_file: '「{name}」是空文件。',
      bad_image: '「{name}」看起来是图片，但无法读取，可能已损坏。',
      image_too_large: '「{name}」的像素太多，请用手机相册的“压缩/缩小”后再传。',
      too_many: '这条记录的附件已达上限，请先删除不用的附件。',
      network: '「{name}」上传失败：网络中断，请重试。',
      other: '「{name}」上传失败：{message}',
    },
  },
  // The audit log's words for this module's actions.
  audit: {
    actions: { attachment_create: '上传附件', attachment_delete: '删除附件', attachment_download: '下载附件' },
  },
  // The permissions this module defines, as the user screens show them.
  permissions: {
    attachment: { read: '查看附件', write: '上传和删除附件' },
  },
};
