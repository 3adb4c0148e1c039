import { ref } from 'vue';
import { ElMessage } from 'element-plus';
import { useI18n } from 'vue-i18n';
import { errorText } from '../api/errorText.js';
import { useFieldErrors } from './useFieldErrors.js';

/**
 * The one way a form sends itself to the server:
 *
 *   const { busy, error, fieldErrors, clearFieldErrors, run } = useSubmit({
 *     form: formRef,                         // el-form to validate first (optional)
 *     fields: ['name', 'phone'],             // server fields shown under form items,
 *                                            // or { server_field: 'form_field' }
 *     success: (saved) => t('common.saved'), // toast on success (text or function)
 *     open,                                  // the dialog's v-model: closed on success
 *     done: (saved) => emit('saved', saved), // after success
 *     failed: (err) => …,                    // an error not about a field (optional)
 *   });
 *   await run(() => createThing(body()));    // returns true when saved
 *
 * `run` validates the form, sets `busy`, clears the field errors and `error`,
 * calls the API, and on an error `{"error":{"code","message","field"}}` puts the
 * message under the field when the form shows it, otherwise into `error` (the
 * http layer has shown it as a message already, unless the call was silent).
 * Any option can be given again to `run` for that one call.
 */
export function useSubmit(defaults = {}) {
  const busy = ref(false);
  const error = ref('');
  const { fieldErrors, clearFieldErrors, applyError } = useFieldErrors();
  const describe = defaults.describe || describer();

  async function run(call, overrides = {}) {
    const o = { ...defaults, ...overrides };
    if (busy.value) return false;
    busy.value = true;
    error.value = '';
    clearFieldErrors();
    try {
      if (o.form && !(await o.form.value.validate().catch(() => false))) return false;
      const result = await call();
      const text = typeof o.success === 'function' ? o.success(result) : o.success;
      if (text) ElMessage({ type: 'success', message: text });
      if (o.open) o.open.value = false;
      if (o.done) await o.done(result);
      return true;
    } catch (err) {
      if (!showOnField(err, o.fields, applyError, fieldErrors)) {
        error.value = describe(err);
        if (o.failed) await o.failed(err);
      }
      return false;
    } finally {
      busy.value = false;
    }
  }

  return { busy, error, fieldErrors, clearFieldErrors, run };
}

function describer() {
  const { t, te } = useI18n();
  return (err) => (err && err.code ? errorText(err, t, te) : String((err && err.message) || err || ''));
}

// fields: a list of the form's field names, or a map server field → form field.
function showOnField(err, fields, applyError, fieldErrors) {
  if (!err || !err.field || !fields) return false;
  if (Array.isArray(fields)) return applyError(err, fields);
  const to = fields[err.field];
  if (!to) return false;
  fieldErrors[to] = err.message;
  return true;
}
