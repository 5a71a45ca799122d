import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readdir, readFile, readlink, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ROOT } from './root.js';

/** `dist`: the built `dist/server.js` (after `npm run build`); `src`: `src/server.ts` through tsx (checks with no build step). */
export type Entry = 'dist' | 'src';

export interface ServiceOptions {
  /** Default `dist`. */
  entry?: Entry;
  /** DATA_DIR; the caller owns it (a restart passes the same one). */
  dataDir: string;
  /** Environment on top of PORT, HOST 127.0.0.1 and DATA_DIR; LOG_LEVEL stays the server's default (info) unless set here. */
  env?: Record<string, string>;
  /**
   * When the service counts as ready. `listening` (default): it has PORT 0 and its listening socket shows in /proc,
   * looked for every 100 ms. `healthz`: it has a port chosen here and `GET /healthz` answers 200, asked every `pollMs`
   * (default 5) from the spawn on, so that `readyMs` is close.
   */
  ready?: 'listening' | 'healthz';
  pollMs?: number;
  /**
   * `capture` (default): stdout and stderr are read, for `tail()` and `errorLines`. `quiet`: stdout (the log) goes
   * nowhere and stderr is this process's; nothing is read, so the reading costs this process nothing.
   */
  output?: 'capture' | 'quiet';
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Service {
  child: ChildProcess;
  pid: number;
  port: number;
  /** `http://127.0.0.1:<port>` */
  base: string;
  dataDir: string;
  /** Milliseconds from spawn to ready. */
  readyMs: number;
  /** Resolves when the process has exited, with how. */
  exited: Promise<Exit>;
  alive(): boolean;
  /** Log lines at level error or fatal (the message and the error's type and message); with output `capture`. */
  errorLines: string[];
  /** The last lines the process wrote (stdout and stderr); with output `capture`. */
  tail(): string[];
  rssMb(): Promise<number>;
  /** SIGTERM and wait (SIGKILL after 10 s). */
  stop(): Promise<void>;
  /** SIGKILL and wait. */
  kill(): Promise<void>;
}

const TAIL = 40;
const READY_WITHIN_MS = 60_000;
const LISTENING_POLL_MS = 100;

/** Services still running, killed when this process exits (a bench or check that threw leaves no server behind). */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * How `npm start` runs the service: package.json's `start` script is `[NAME=value…] node [flags…] dist/server.js`,
 * and a benchmark runs the service as it ships (issue 14: the young generation's size and malloc's arenas are set
 * there). The flags, with the server's path last, and the environment.
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

/** The service as its own process, on a loopback port, once it is ready (the built one as `npm start` runs it). */
export async function spawnService(options: ServiceOptions): Promise<Service> {
  const entry = options.entry ?? 'dist';
  const ready = options.ready ?? 'listening';
  const capture = (options.output ?? 'capture') === 'capture';
  const shipped = entry === 'dist' ? serverCommand() : { args: ['--import', 'tsx', join(ROOT, 'src', 'server.ts')], env: {} };
  const args = shipped.args;
  const chosenPort = ready === 'healthz' ? await freePort() : 0;
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      ...shipped.env,
      PORT: String(chosenPort),
      HOST: '127.0.0.1',
      DATA_DIR: options.dataDir,
      ...options.env,
    },
    stdio: capture ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  /** How it exited, once it has. */
  const state: { exit: Exit | null } = { exit: null };
  running.add(child);
  void exited.then((how) => {
    state.exit = how;
    running.delete(child);
  });
  const lines: string[] = [];
  const errorLines: string[] = [];
  if (capture) {
    readLines(child.stdout, lines, errorLines);
    readLines(child.stderr, lines, errorLines);
  }

  const pid = child.pid as number;
  const probe =
    ready === 'healthz' ? async () => ((await health(chosenPort)) === 200 ? `http://127.0.0.1:${chosenPort}` : '') : () => listeningOn(pid);
  const pause = ready === 'healthz' ? (options.pollMs ?? 5) : LISTENING_POLL_MS;
  const deadline = started + READY_WITHIN_MS;
  let base = '';
  for (;;) {
    const how = state.exit;
    if (how) throw new Error(`the service (${entry}) exited (${how.code ?? how.signal}) before it was ready:\n${lines.join('\n')}`);
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the service (${entry}) was not ready within ${READY_WITHIN_MS / 1000} s:\n${lines.join('\n')}`);
    }
    base = await probe();
    if (base) break;
    await new Promise((r) => setTimeout(r, pause));
  }
  const readyMs = performance.now() - started;
  const stopWith = async (signal: NodeJS.Signals) => {
    if (state.exit) return;
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
    readyMs,
    exited,
    alive: () => !state.exit,
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

/** Removes a DATA_DIR and all in it. */
export function removeDir(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true });
}

/** Keeps the last TAIL lines of `stream` in `lines`, and a short sentence for each pino line at error or above in `errorLines`. */
function readLines(stream: NodeJS.ReadableStream | null, lines: string[], errorLines: string[]): void {
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

/** The loopback URL a process listens on, from its socket inodes and /proc/net/tcp; '' while it listens on none. */
async function listeningOn(pid: number): Promise<string> {
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

/** A free loopback TCP port (bound, then released). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** The status of one `GET /healthz`, or 0 when nothing answered. */
function health(port: number): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/healthz', agent: false, timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}
