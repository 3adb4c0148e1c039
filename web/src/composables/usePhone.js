import { ref } from 'vue';

// One shared flag for "phone-width screen" (≤ 768 px), kept current on resize.
const QUERY = '(max-width: 768px)';
const isPhone = ref(false);

if (typeof window !== 'undefined' && window.matchMedia) {
  const mq = window.matchMedia(QUERY);
  isPhone.value = mq.matches;
  mq.addEventListener('change', (e) => {
    isPhone.value = e.matches;
  });
}

export function usePhone() {
  return isPhone;
}
