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
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
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
    // Strings, templates and names with non-ASCII characters are written as escapes (esbuild's default charset).
    charset: 'ascii',
    logLevel: 'warning',
  };
}

/**
 * The code with every non-ASCII UTF-16 unit written as `\uXXXX`. esbuild leaves Chinese characters in regular
 * expression literals (and comments), where the escape means the same (a surrogate pair escaped unit by unit
 * is still one code point under the `u` flag); V8 keeps a module's source in memory, and one non-Latin-1
 * character anywhere makes that copy two bytes a character: 6 MB for this bundle instead of 3 (issue 14).
 */
export function asciiOnly(code: string): string {
  return code.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}

/** Bundle the server into `outfile` (and its source map beside it). */
export async function bundleServer(outfile = 'dist/server.js'): Promise<void> {
  const result = await build({ ...serverBundle(outfile), write: false });
  for (const file of result.outputFiles) {
    await mkdir(dirname(file.path), { recursive: true });
    await writeFile(file.path, file.path.endsWith('.js') ? asciiOnly(file.text) : file.contents);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundleServer();
