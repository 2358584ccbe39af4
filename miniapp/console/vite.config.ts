// Builds the manager console into miniapp/console/dist; the server serves it under /console/. It shares the form
// renderer (and its Vant widgets) with the rep mini-app, so the phone preview is exactly what reps see.
// Element Plus components are imported where a template uses them (with their CSS), so the first screen loads only
// the shell's few components: a manager's first click is the dashboard, and it must paint fast.
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import components from 'unplugin-vue-components/vite';
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  plugins: [vue(), components({ resolvers: [ElementPlusResolver({ importStyle: 'css' })], dts: false, dirs: [] })],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2020', chunkSizeWarningLimit: 1500 },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/files': 'http://127.0.0.1:3000' } },
});
