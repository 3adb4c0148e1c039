import { reactive } from 'vue';

// Server-side field errors (`error.field`) shown under the matching form item:
// bind `:error="fieldErrors.name"` on each el-form-item.
export function useFieldErrors() {
  const fieldErrors = reactive({});

  function clearFieldErrors() {
    for (const k of Object.keys(fieldErrors)) delete fieldErrors[k];
  }

  // Returns true when the error was about a field the form shows.
  function applyError(err, known) {
    if (!err || !err.field) return false;
    if (known && !known.includes(err.field)) return false;
    fieldErrors[err.field] = err.message;
    return true;
  }

  return { fieldErrors, clearFieldErrors, applyError };
}
