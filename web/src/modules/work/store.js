import { defineStore } from 'pinia';
import { getWork } from './api';

// My work queue as the header's count and the 我的待办 page share it.
export const useWorkStore = defineStore('work', {
  state: () => ({ items: [], count: 0, overdue: 0, truncated: false, loaded: false, loading: false }),
  actions: {
    async refresh() {
      this.loading = true;
      try {
        const q = await getWork();
        this.items = q.items;
        this.count = q.count;
        this.overdue = q.overdue;
        this.truncated = q.truncated;
        this.loaded = true;
      } finally {
        this.loading = false;
      }
    },
  },
});
