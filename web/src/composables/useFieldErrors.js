import { reactive } from 'vue';

// Server-side field errors (`error.field`) shown under the matching form item:
// bind `:error="fieldErrors.name"` on each el-form-item.
export function useFieldErrors() {
  const fieldErrors = reactive({});

  function clearFieldErrors() {
    for (const k of Object.keys(fieldErrors)) delete fieldErrors[k];
  }

  // Returns true when the error was about a field the form shows. An item of
  // a list the form shows as one field (`equipment[1].item`, `positions[0]`)
  // goes under that field (`equipment`).
  function applyError(err, known) {
    if (!err || !err.field) return false;
    let field = err.field;
    if (known && !known.includes(field)) {
      const list = field.replace(/[[.].*$/, '');
      if (!known.includes(list)) return false;
      field = list;
    }
    fieldErrors[field] = err.message;
    return true;
  }

  return { fieldErrors, clearFieldErrors, applyError };
}
