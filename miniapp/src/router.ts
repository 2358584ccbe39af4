// Hash routes (the host WebViews reload the page URL as given, so state lives after the #). Pages load lazily.
import { createRouter, createWebHashHistory } from 'vue-router';
import { session } from './session.ts';
import TabLayout from './components/TabLayout.vue';

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/login', component: () => import('./pages/LoginPage.vue'), meta: { public: true } },
    {
      path: '/',
      component: TabLayout,
      children: [
        { path: '', redirect: '/today' },
        { path: 'today', component: () => import('./pages/TodayPage.vue') },
        { path: 'customers', component: () => import('./pages/CustomersPage.vue') },
        { path: 'history', component: () => import('./pages/HistoryPage.vue') },
      ],
    },
    { path: '/customers/:id', component: () => import('./pages/CustomerDetailPage.vue'), props: true },
    { path: '/pick', component: () => import('./pages/CustomersPage.vue'), props: { pick: true } },
    { path: '/visit/:localId', component: () => import('./pages/VisitPage.vue'), props: true },
    { path: '/:rest(.*)*', redirect: '/today' },
  ],
});

router.beforeEach((to) => {
  if (!to.meta.public && !session.current) return { path: '/login', query: { next: to.fullPath } };
  return true;
});
