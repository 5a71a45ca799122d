import { fileURLToPath } from 'node:url';

/** The project's folder (the one holding package.json). */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
