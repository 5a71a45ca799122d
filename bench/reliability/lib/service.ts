import { type ChildProcess, spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listeningOn, ROOT } from '../../lib/server.js';

/**
 * The service as its own process, for the checks that watch it from outside: the built `dist/server.js`
 * (benches, after `npm run build`) or `src/server.ts` through tsx (the short checks in `npm test`, which has
 * no build step). Its log (pino JSON, LOG_LEVEL warn unless told) is read for error lines and kept in a
 * short tail for a crash report.
 */
export type Entry = 'dist' | 'src';

export interface ServiceOptions {
  entry?: Entry;
  /** Environment on top of the defaults (PORT 0, HOST 127.0.0.1, LOG_LEVEL warn). */
  env?: Record<string, string>;
  /** DATA_DIR; the caller owns it (a restart passes the same one). */
  dataDir: string;
}

export interface Service {
  child: ChildProcess;
  pid: number;
  port: number;
  /** `http://127.0.0.1:<port>` */
  base: string;
  dataDir: string;
  /** Milliseconds from spawn to listening. */
  startMs: number;
  /** Resolves when the process has exited, with how. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive(): boolean;
  /** Log lines at level error or fatal (the message and the error's type and message). */
  errorLines: string[];
  /** The last lines the process wrote (stdout and stderr). */
  tail(): string[];
  rssMb(): Promise<number>;
  /** SIGTERM and wait (SIGKILL after 10 s). */
  stop(): Promise<void>;
  /** SIGKILL and wait. */
  kill(): Promise<void>;
}

const TAIL = 40;
/** jieba's slimmed dictionaries, written into DATA_DIR/cache on a first start (≈3.5 s); shared between throwaway dirs. */
const SHARED_CACHE = join(tmpdir(), 'hl-reliability-cache');

/** A fresh DATA_DIR under the system temp folder, with the dictionary cache of an earlier run when there is one. */
export async function throwawayDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `hl-rel-${prefix}-`));
  if (await exists(SHARED_CACHE)) await cp(SHARED_CACHE, join(dir, 'cache'), { recursive: true }).catch(() => undefined);
  return dir;
}

export function removeDir(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true });
}

/** Services still running, killed when this process exits (a check that threw leaves no server behind). */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export async function startService(options: ServiceOptions): Promise<Service> {
  const entry = options.entry ?? 'dist';
  const args = entry === 'dist' ? [join(ROOT, 'dist', 'server.js')] : ['--import', 'tsx', join(ROOT, 'src', 'server.ts')];
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DATA_DIR: options.dataDir,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let done = false;
  running.add(child);
  void exited.then(() => {
    done = true;
    running.delete(child);
  });
  const lines: string[] = [];
  const errorLines: string[] = [];
  const read = (stream: NodeJS.ReadableStream | null) => {
    let rest = '';
    stream?.on('data', (d: Buffer) => {
      const parts = (rest + d.toString()).split('\n');
      rest = parts.pop() ?? '';
      for (const line of parts) {
        if (!line) continue;
        lines.push(line.slice(0, 2000));
        if (lines.length > TAIL) lines.shift();
        const level = /"level":(\d+)/.exec(line)?.[1];
        if (level && Number(level) >= 50) errorLines.push(describeLogLine(line));
      }
    });
  };
  read(child.stdout);
  read(child.stderr);

  const pid = child.pid as number;
  let base = '';
  const deadline = Date.now() + 60_000;
  while (!base && !done && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    base = await listeningOn(pid);
  }
  if (!base) {
    child.kill('SIGKILL');
    throw new Error(`the service did not start (${entry}):\n${lines.join('\n')}`);
  }
  const startMs = performance.now() - started;
  void shareCache(options.dataDir);
  const stopWith = async (signal: NodeJS.Signals) => {
    if (done) return;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  return {
    child,
    pid,
    port: Number(new URL(base).port),
    base,
    dataDir: options.dataDir,
    startMs,
    exited,
    alive: () => !done,
    errorLines,
    tail: () => [...lines],
    async rssMb() {
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    },
    stop: () => stopWith('SIGTERM'),
    kill: () => stopWith('SIGKILL'),
  };
}

/** A pino line as a short sentence: its message, and the error's type and message when it carries one. */
function describeLogLine(line: string): string {
  try {
    const j = JSON.parse(line) as { msg?: string; err?: { type?: string; message?: string } };
    return [j.msg, j.err ? `${j.err.type ?? 'Error'}: ${j.err.message ?? ''}` : ''].filter(Boolean).join(' — ').slice(0, 300);
  } catch {
    return line.slice(0, 300);
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Keeps the dictionary cache a service wrote for the next throwaway dir (copied aside, then renamed: never half there). */
async function shareCache(dataDir: string): Promise<void> {
  if ((await exists(SHARED_CACHE)) || !(await exists(join(dataDir, 'cache')))) return;
  const partial = `${SHARED_CACHE}.${process.pid}`;
  try {
    await cp(join(dataDir, 'cache'), partial, { recursive: true });
    await rename(partial, SHARED_CACHE);
  } catch {
    await rm(partial, { recursive: true, force: true });
  }
}
