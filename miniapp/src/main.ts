// The rep's mini-app: i18n and routes, then start-up (tenant, host, login) and the offline sender.
import { createApp, watch } from 'vue';
import 'vant/es/style/base.css';
import App from './App.vue';
import { i18n } from './i18n/index.ts';
import { router } from './router.ts';
import { boot, start } from './boot.ts';
import { onUnauthorized } from './api/client.ts';
import { startSender } from './offline/sender.ts';
import { askPersistentStorage } from './offline/db.ts';
import { refreshOutbox } from './offline/state.ts';
import { pruneSubmitted } from './offline/visits.ts';

createApp(App).use(i18n).use(router).mount('#app');

onUnauthorized(() => {
  boot.state = 'login';
  void router.replace('/login');
});

watch(() => boot.state, (state) => {
  if (state === 'login' && router.currentRoute.value.path !== '/login') void router.replace('/login');
  if (state === 'ready') {
    void refreshOutbox();
    startSender();
    askPersistentStorage();
    void pruneSubmitted().catch((err) => console.warn('pruning old visits failed', err));
  }
});

void start();

// The app shell is cached by a service worker so it opens, and the queue resumes, without a network.
// (Not under the dev server, which has no sw.js; `import.meta.hot` exists only there.)
if (!import.meta.hot && 'serviceWorker' in navigator) {
  void navigator.serviceWorker.register(`${import.meta.env.BASE_URL}sw.js`, { scope: import.meta.env.BASE_URL }).catch((err) => console.warn('service worker not registered', err));
}
