// Hash routes: bot messages link to /console/#/board?team=&date=, /console/#/visits/<id> and
// /console/#/callbacks?date=, so those paths are part of the contract. Pages load on first visit.
import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router';
import { session } from './session.ts';

export interface MenuMeta { zh: string; en: string; group?: string }

export const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/board' },
  { path: '/login', component: () => import('./pages/LoginPage.vue'), meta: { public: true } },
  { path: '/board', component: () => import('./pages/BoardPage.vue'), meta: { zh: '看板', en: 'Board' } },
  { path: '/visits', component: () => import('./pages/VisitsPage.vue'), meta: { zh: '拜访审核', en: 'Reviews' } },
  { path: '/visits/:id', component: () => import('./pages/VisitDetailPage.vue') },
  { path: '/callbacks', component: () => import('./pages/CallbacksPage.vue'), meta: { zh: '电话回访', en: 'Call-backs' } },
  { path: '/appeals', component: () => import('./pages/AppealsPage.vue'), meta: { zh: '申诉', en: 'Appeals' } },
  { path: '/plans', component: () => import('./pages/PlansPage.vue'), meta: { zh: '拜访计划', en: 'Plans' } },
  { path: '/forms', component: () => import('./pages/FormsPage.vue'), meta: { zh: '拜访表单', en: 'Forms' } },
  { path: '/forms/:id', component: () => import('./pages/FormBuilderPage.vue') },
  { path: '/scoring', component: () => import('./pages/ScoringPage.vue'), meta: { zh: '评分规则', en: 'Scoring' } },
  { path: '/scoring/:id', component: () => import('./pages/ScoringEditorPage.vue') },
  { path: '/customers', component: () => import('./pages/CustomersPage.vue'), meta: { zh: '客户', en: 'Customers' } },
  { path: '/people', component: () => import('./pages/PeoplePage.vue'), meta: { zh: '人员与团队', en: 'People' } },
  { path: '/exports', component: () => import('./pages/ExportsPage.vue'), meta: { zh: '导出', en: 'Exports' } },
  { path: '/:rest(.*)*', redirect: '/board' },
];

export const router = createRouter({ history: createWebHashHistory(), routes });

router.beforeEach((to) => {
  if (to.meta.public || session.current) return true;
  return { path: '/login', query: { next: to.fullPath } };
});
