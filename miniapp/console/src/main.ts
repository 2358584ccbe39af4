// The manager console: Element Plus (Chinese locale, set in App.vue; components imported per use by the build),
// hash routes (bot messages link to /console/#/...), login guard.
import { createApp } from 'vue';
// Services called from code rather than used as tags: their styles are not found by the build's template scan.
import 'element-plus/es/components/message/style/css';
import 'element-plus/es/components/message-box/style/css';
import App from './App.vue';
import { router } from './router.ts';
import { onUnauthorized } from './api.ts';
import { session } from './session.ts';
import { prefetchBoard } from './board/board-request.ts';
import './console.css';

// Before the app mounts: the board's data loads while the browser still fetches the page's code.
prefetchBoard(window.location.hash, session.current?.user);
createApp(App).use(router).mount('#app');

onUnauthorized(() => {
  void router.replace({ path: '/login', query: { next: router.currentRoute.value.fullPath } });
});
