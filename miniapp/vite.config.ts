// Builds the rep's H5 mini-app into miniapp/dist; the server serves it under /app/.
import { defineConfig, type Plugin } from 'vite';
import vue from '@vitejs/plugin-vue';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serviceWorkerMain } from './src/offline/service-worker.ts';

/**
 * Writes sw.js with the list of built files, so the app shell can be cached for offline starts. Done after the
 * bundle is written: Vite drops CSS-only chunks late, and a listed file that does not exist fails the install.
 */
function serviceWorker(): Plugin {
  return {
    name: 'fieldvisit-service-worker',
    apply: 'build',
    writeBundle(options, bundle) {
      const files = Object.keys(bundle).filter((f) => !f.endsWith('.map') && f !== 'sw.js').sort();
      const version = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 12);
      const source = `(${serviceWorkerMain.toString()})(${JSON.stringify(files)}, ${JSON.stringify(version)});\n`;
      writeFileSync(join(options.dir!, 'sw.js'), source);
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/app/',
  plugins: [vue(), serviceWorker()],
  define: {
    // vue-i18n: composition API only, no devtools hooks in production builds.
    __VUE_I18N_FULL_INSTALL__: false,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2019', chunkSizeWarningLimit: 800 },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/files': 'http://127.0.0.1:3000' } },
});
