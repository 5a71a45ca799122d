/**
 * How the service is started (issue 14): `npm start` and the Docker image run node with the same flags, and the
 * server bundle `npm run build` writes (`dist/server.js`, scripts/bundle-server.ts) serves like the sources do.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { asciiOnly, bundleServer } from '../../scripts/bundle-server.js';
import { ROOT } from '../helpers/knowledge.js';

/** package.json's start script, `[NAME=value…] node [flags…] dist/server.js`: the environment it sets and node's arguments. */
async function startCommand(): Promise<{ env: Record<string, string>; args: string[] }> {
  const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const words = pkg.scripts.start.trim().split(/\s+/);
  const env: Record<string, string> = {};
  while (/^[A-Z_][A-Z0-9_]*=/.test(words[0] ?? '')) {
    const [name, ...value] = (words.shift() as string).split('=');
    env[name as string] = value.join('=');
  }
  return { env, args: words };
}

let child: ChildProcess | undefined;
let dataDir: string | undefined;

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('the server bundle', () => {
  it('writes the characters esbuild leaves in regular expressions as escapes that match the same', () => {
    const source = `/^[零〇一二两兩三四五六七八九十]+$/u.test(s) || /转|分机|😀/.test(s) || /^[😀-😂]$/u.test(s)`;
    const escaped = asciiOnly(source);
    expect(escaped).toMatch(/^[\x00-\x7f]*$/);
    for (const s of ['二十三', '转', '分机', '😀', '😁', '二十三a', 'abc', '\uD83D'])
      expect(new Function('s', `return ${escaped}`)(s)).toBe(new Function('s', `return ${source}`)(s));
  });
});

describe('starting the service', () => {
  it('runs node in the Docker image with the flags and environment npm start gives it', async () => {
    const dockerfile = await readFile(join(ROOT, 'Dockerfile'), 'utf8');
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile)?.[1];
    expect(cmd).toBeDefined();
    const { env, args } = await startCommand();
    expect(args[0]).toBe('node');
    expect(args.at(-1)).toBe('dist/server.js');
    expect(JSON.parse(cmd as string)).toEqual(args);
    // What the start script sets, the image sets too (ENV NAME=value, one per line).
    for (const [name, value] of Object.entries(env)) expect(dockerfile).toMatch(new RegExp(`^(ENV )?\\s*${name}=${value}( \\\\)?$`, 'm'));
  });

  it('answers from the bundled server as npm start runs it', async () => {
    await bundleServer(join(ROOT, 'dist', 'server.js'));
    expect(await readFile(join(ROOT, 'dist', 'server.js'), 'utf8')).toMatch(/^[\x00-\x7f]*$/);
    dataDir = await mkdtemp(join(tmpdir(), 'hl-bundle-'));
    const { env, args } = await startCommand();
    const started = spawn(process.execPath, args.slice(1), {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    let output = '';
    const base = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the bundled server did not listen; output:\n${output}`)), 20_000);
      const read = (d: Buffer) => {
        output += d.toString();
        const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (m) {
          clearTimeout(timer);
          resolve(m[1] as string);
        }
      };
      started.stdout?.on('data', read);
      started.stderr?.on('data', read);
      started.once('exit', (code) => reject(new Error(`the bundled server exited (${code}); output:\n${output}`)));
    });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const res = await fetch(`${base}/api/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: '包头慢性病开药量是多少' }),
    });
    const body = (await res.json()) as { type: string; citations: { notice: string }[] };
    expect(body.type).toBe('answer');
    expect(body.citations[0]?.notice).toBe('baotou-2022-10-08');
    // The libraries left to node_modules: the OpenAPI document and its pages.
    expect((await fetch(`${base}/docs/json`)).status).toBe(200);
    expect((await fetch(`${base}/docs/`)).status).toBe(200);
    const exited = new Promise<number | null>((resolve) => started.once('exit', resolve));
    started.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 40_000);
});
