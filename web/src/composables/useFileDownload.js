import { ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage } from 'element-plus';
import { download, saveBlob } from '@/api/download';
import { errorText } from '@/api/errorText';

// A file of the API saved to the person's disk (an export, a PDF document):
// one at a time (busy), a message with the file's name when it is saved
// (doneKey: an i18n key with {name}), the error in words when it is not.
export function useFileDownload() {
  const { t, te } = useI18n();
  const busy = ref(false);

  async function save(path, query, doneKey, onProgress) {
    if (busy.value) return;
    busy.value = true;
    try {
      const file = await download(path, query, onProgress);
      saveBlob(file.blob, file.filename);
      ElMessage({ type: 'success', message: t(doneKey, { name: file.filename }) });
    } catch (err) {
      ElMessage({ type: 'error', message: errorText(err, t, te), duration: 6000 });
    } finally {
      busy.value = false;
    }
  }

  return { busy, save };
}
