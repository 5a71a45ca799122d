import { build } from 'esbuild';

/** Build the chat widget, the agents' console, the operators' page and their desk once before the tests, as `npm run build` does. */
export default async function setup(): Promise<void> {
  const common = { bundle: true, minify: true, format: 'iife', target: 'es2020', logLevel: 'warning' } as const;
  await build({ ...common, entryPoints: ['src/widget/index.ts'], outfile: 'dist/public/widget.js' });
  await build({ ...common, entryPoints: ['src/console/index.ts'], outfile: 'dist/public/console.js' });
  await build({ ...common, entryPoints: ['src/operators/index.ts'], outfile: 'dist/public/operators.js' });
  await build({ ...common, entryPoints: ['src/operators/desk/index.ts'], outfile: 'dist/public/ops.js' });
}
