// Repository folders the server reads data from (schemas and built-in templates ship with the code).
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const schemasDir = join(repoRoot, 'schemas');
export const templatesDir = join(repoRoot, 'templates');
/** The built rep mini-app (npm run build:miniapp). */
export const miniappDistDir = join(repoRoot, 'miniapp', 'dist');
/** The built manager console (npm run build:miniapp builds both). */
export const consoleDistDir = join(repoRoot, 'miniapp', 'console', 'dist');
