import { createApp } from 'vue';
import { createPinia } from 'pinia';
import ElementPlus, { ElMessage } from 'element-plus';
import 'element-plus/dist/index.css';
import './styles.css';

import App from './App.vue';
import { i18n } from './i18n';
import { router } from './router';
import { configureHttp } from './api/http';
import { errorText } from './api/errorText';
import { useSessionStore } from './modules/session/store';

const app = createApp(App);
const pinia = createPinia();
app.use(pinia).use(i18n).use(router).use(ElementPlus);

const { t, te } = i18n.global;
const session = useSessionStore(pinia);

configureHttp({
  notify(err) {
    ElMessage({ type: 'error', message: errorText(err, t, te), grouping: true, showClose: true });
  },
  // The session ended (idle timeout, signed out elsewhere): back to the login page.
  unauthorized() {
    const wasSignedIn = session.signedIn;
    session.clear();
    const current = router.currentRoute.value;
    if (current.name !== 'login') {
      if (wasSignedIn) ElMessage({ type: 'warning', message: t('errors.unauthenticated'), grouping: true });
      router.push({ name: 'login', query: current.fullPath && current.name !== 'home' ? { next: current.fullPath } : {} });
    }
  },
  // The server says the session is restricted: take the step it asks for.
  async restricted() {
    await session.refresh();
    if (session.restriction === 'password') router.push({ name: 'password' });
    else if (session.restriction === 'totp') router.push({ name: 'totp' });
  },
});

app.mount('#app');
