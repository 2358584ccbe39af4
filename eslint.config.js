// Lint config: recommended JS + TypeScript rules for the whole repo, and Vue's rules for the mini-app.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import pluginVue from 'eslint-plugin-vue';

export default tseslint.config(
  { ignores: ['node_modules/**', '.data/**', '.tools/**', 'dist/**', 'miniapp/dist/**', 'miniapp/console/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    files: ['**/*.ts', '**/*.vue'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
      // Templates are short and Chinese labels are long: let them wrap where they read best.
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
    },
  },
  {
    files: ['miniapp/src/**/*.{ts,vue}', 'miniapp/console/src/**/*.{ts,vue}'],
    languageOptions: { globals: { window: 'readonly', document: 'readonly', navigator: 'readonly', localStorage: 'readonly', URL: 'readonly', URLSearchParams: 'readonly', fetch: 'readonly', FormData: 'readonly', Response: 'readonly', setTimeout: 'readonly' } },
  },
  {
    // The console runs only in desktop browsers: the DOM globals its pages use.
    files: ['miniapp/console/src/**/*.{ts,vue}'],
    languageOptions: {
      globals: Object.fromEntries(['HTMLElement', 'HTMLInputElement', 'HTMLCanvasElement', 'requestAnimationFrame', 'performance', 'Blob', 'File',
        'ResizeObserver', 'getComputedStyle', 'clearTimeout', 'setInterval', 'clearInterval', 'Event', 'KeyboardEvent', 'MouseEvent'].map((g) => [g, 'readonly'])),
    },
  },
  {
    files: ['scripts/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
