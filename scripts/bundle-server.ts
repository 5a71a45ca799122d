/**
 * The server as one ES module (issue 14): `dist/server.js` is `src/server.ts` with the service's code and its
 * libraries bundled by esbuild, so a start reads one file instead of resolving and loading some 570 modules
 * (≈240 ms of CPU of a start of ≈840 ms, measured). `npm run build` runs it after `tsc`, whose per-file output
 * stays in `dist/` for the tools and benchmarks that import modules from it.
 *
 * Left to node_modules: native addons (better-sqlite3, nodejieba: their binaries and dictionaries are found
 * beside their code), and the packages that read files next to their own code (@fastify/swagger's package.json,
 * @fastify/swagger-ui's static pages) or are resolved by path at run time (@fastify/helmet's helmet, opencc-js's
 * tables).
 *
 *   tsx scripts/bundle-server.ts   (`npm run build:server`)
 */
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build } from 'esbuild';

export const EXTERNAL = ['better-sqlite3', 'nodejieba', '@fastify/swagger', '@fastify/swagger-ui', '@fastify/helmet', 'opencc-js'];

/** esbuild's options for the server bundle, written to `outfile`. */
export function serverBundle(outfile = 'dist/server.js'): BuildOptions {
  return {
    entryPoints: ['src/server.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    external: EXTERNAL,
    // The bundled CommonJS libraries call `require` (node's own modules): an ES module has none of its own.
    banner: { js: "import { createRequire as __bundleRequire } from 'node:module';\nconst require = __bundleRequire(import.meta.url);" },
    logLevel: 'warning',
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await build(serverBundle());
