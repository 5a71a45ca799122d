import { build } from 'esbuild';

/** Build the chat widget once before the tests, as `npm run build:widget` does. */
export default async function setup(): Promise<void> {
  await build({
    entryPoints: ['src/widget/index.ts'],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    outfile: 'dist/public/widget.js',
    logLevel: 'warning',
  });
}
