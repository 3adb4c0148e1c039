import { onBeforeUnmount, onMounted, ref } from 'vue';

// A clock for elapsed times and countdowns: `now` (ms) ticks every second
// while the component is mounted.
export function useNow(everyMs = 1000) {
  const now = ref(Date.now());
  let timer = null;
  onMounted(() => {
    timer = setInterval(() => {
      now.value = Date.now();
    }, everyMs);
  });
  onBeforeUnmount(() => clearInterval(timer));
  return now;
}
