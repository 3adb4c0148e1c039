import { reactive } from 'vue';
import { unmaskPerson } from './api';

// Clear ID numbers and phones fetched with POST /api/persons/{id}/unmask,
// kept only in memory while the page is open. Every call is audited.
export function useUnmask() {
  const revealed = reactive({});
  const pending = reactive({});

  async function reveal(id) {
    if (pending[id]) return;
    pending[id] = true;
    try {
      revealed[id] = await unmaskPerson(id);
    } catch {
      // message shown by the http module
    } finally {
      delete pending[id];
    }
  }

  function hide(id) {
    delete revealed[id];
  }

  return { revealed, pending, reveal, hide };
}
