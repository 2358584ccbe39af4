// The manager console: Element Plus (Chinese locale), hash routes (bot messages link to /console/#/...), login guard.
import { createApp } from 'vue';
import ElementPlus from 'element-plus';
import zhCn from 'element-plus/es/locale/lang/zh-cn';
import 'element-plus/dist/index.css';
import App from './App.vue';
import { router } from './router.ts';
import { onUnauthorized } from './api.ts';
import './console.css';

createApp(App).use(ElementPlus, { locale: zhCn }).use(router).mount('#app');

onUnauthorized(() => {
  void router.replace({ path: '/login', query: { next: router.currentRoute.value.fullPath } });
});
