import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface RunningServer {
  child: ChildProcess;
  base: string;
  rssMb(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * How `npm start` runs the service: package.json's `start` script is `[NAME=value…] node [flags…] dist/server.js`,
 * and a benchmark runs the service as it ships (issue 14: the young generation's size and malloc's arenas are set
 * there).
 */
export function serverCommand(): { args: string[]; env: Record<string, string> } {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const words = pkg.scripts.start.trim().split(/\s+/);
  const env: Record<string, string> = {};
  while (/^[A-Z_][A-Z0-9_]*=/.test(words[0] ?? '')) {
    const [name, ...value] = (words.shift() as string).split('=');
    env[name as string] = value.join('=');
  }
  const [node, ...args] = words;
  if (node !== 'node' || args.at(-1) !== 'dist/server.js')
    throw new Error(`the start script is not "[NAME=value…] node [flags…] dist/server.js": ${pkg.scripts.start}`);
  return { args: [...args.slice(0, -1), join(ROOT, 'dist', 'server.js')], env };
}

/** The built service (`node dist/server.js`, with `npm start`'s flags) on a free loopback port, with the given extra environment. */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const command = serverCommand();
  const child = spawn(process.execPath, command.args, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      ...command.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DATA_DIR: join(tmpdir(), 'hl-bench-data'),
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 15_000;
  let base = '';
  while (!base && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    base = await listeningOn(child.pid as number);
  }
  if (!base) throw new Error('the server did not start');
  return {
    child,
    base,
    async rssMb() {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

/** The loopback URL a process listens on, from its socket inodes and /proc/net/tcp. */
export async function listeningOn(pid: number): Promise<string> {
  const inodes = new Set<string>();
  for (const fd of await readdir(`/proc/${pid}/fd`).catch(() => [] as string[])) {
    const m = /socket:\[(\d+)\]/.exec(await readlink(`/proc/${pid}/fd/${fd}`).catch(() => ''));
    if (m?.[1]) inodes.add(m[1]);
  }
  for (const line of (await readFile('/proc/net/tcp', 'utf8')).split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols[3] === '0A' && inodes.has(cols[9] ?? ''))
      return `http://127.0.0.1:${Number.parseInt((cols[1] ?? ':0').split(':')[1] ?? '0', 16)}`;
  }
  return '';
}

export async function questions(): Promise<string[]> {
  return (await readFile(join(ROOT, 'test', 'eval', 'questions.jsonl'), 'utf8'))
    .split('\n')
    .filter((l) => l.trim())
    .flatMap((l) => (JSON.parse(l) as { turns: { q: string }[] }).turns.map((t) => t.q));
}
