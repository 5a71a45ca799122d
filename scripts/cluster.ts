/**
 * Several instances of the built server behind the development balancer, on this machine (issue 15):
 *
 *   npm run build && npm run cluster
 *   npm run cluster -- --instances 3 --base-port 4001 --port 9080 --redis-url redis://127.0.0.1:6380
 *
 * Starts `--instances` (2) copies of `dist/server.js` as `npm start` runs it, on `--base-port` (3001) and the
 * ports after it, each with its own INSTANCE_ID (`app1`, `app2` …) and DATA_DIR (`.cluster/app1` …), one
 * SESSION_SECRET for all (generated once into `.cluster/session-secret`, so a chat's resume token verifies on
 * every instance), REDIS_URL and DATABASE_URL (flags, else the environment, else the local defaults), and the
 * rest of the environment as it is (AGENT_TOKENS, ADMIN_TOKEN …). Once every instance's /readyz answers 200,
 * the balancer listens on `--port` (8080). Every line an instance writes is prefixed with its name.
 *
 * An instance that exits before it is ready stops the others, and this exits 1. One that exits later is left
 * down (the balancer sends its traffic to the others: kill one to watch a failover); when none is left, this
 * exits 1. Ctrl-C or SIGTERM stops the balancer, then the instances (SIGTERM, SIGKILL after 15 s).
 *
 * The balancer asks each instance's /readyz every second and each instance logs every request: those lines
 * are left out when they answered 200 (`--show-health` keeps them); a failed check is shown.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type Balancer, startBalancer } from './balancer.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SERVER = join(ROOT, 'dist', 'server.js');
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 15_000;

interface Instance {
  readonly name: string;
  readonly port: number;
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  ready: boolean;
}

function say(name: string, line: string): void {
  process.stdout.write(`${name.padEnd(8)} | ${line}\n`);
}

/** The secret every instance signs resume tokens with: made once, kept in the cluster's folder. */
async function sharedSecret(dir: string): Promise<string> {
  const file = join(dir, 'session-secret');
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const secret = randomBytes(32).toString('base64url');
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/** An instance's log line of a health check that passed. */
function isHealthLine(line: string): boolean {
  return line.includes('"url":"/readyz"') && line.includes('"statusCode":200');
}

function launch(name: string, port: number, env: NodeJS.ProcessEnv, showHealth: boolean): Instance {
  const child = spawn(process.execPath, ['--max-semi-space-size=4', SERVER], {
    cwd: ROOT,
    env: { ...env, MALLOC_ARENA_MAX: '1', PORT: String(port), INSTANCE_ID: name },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on('line', (line) => {
      if (showHealth || !isHealthLine(line)) say(name, line);
    });
  }
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return { name, port, child, exited, ready: false };
}

/** Resolves once the instance's /readyz answers 200; rejects if it exits first or takes too long. */
async function waitReady(instance: Instance): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (instance.child.exitCode !== null || instance.child.signalCode !== null) {
      throw new Error(`${instance.name} exited at start (${instance.child.exitCode ?? instance.child.signalCode})`);
    }
    try {
      const res = await fetch(`http://127.0.0.1:${instance.port}/readyz`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) {
        instance.ready = true;
        return;
      }
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`${instance.name} was not ready within ${START_TIMEOUT_MS / 1000} s`);
}

async function stopAll(instances: readonly Instance[], balancer: Balancer | undefined): Promise<void> {
  await balancer?.close();
  const running = instances.filter((i) => i.child.exitCode === null && i.child.signalCode === null);
  for (const i of running) i.child.kill('SIGTERM');
  const killer = setTimeout(() => {
    for (const i of running) if (i.child.exitCode === null) i.child.kill('SIGKILL');
  }, STOP_TIMEOUT_MS);
  await Promise.all(running.map((i) => i.exited));
  clearTimeout(killer);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      instances: { type: 'string', default: '2' },
      'base-port': { type: 'string', default: '3001' },
      port: { type: 'string', default: '8080' },
      dir: { type: 'string', default: '.cluster' },
      'redis-url': { type: 'string' },
      'database-url': { type: 'string' },
      'show-health': { type: 'boolean', default: false },
    },
  });
  const count = Number(values.instances);
  const basePort = Number(values['base-port']);
  if (!Number.isInteger(count) || count < 1) throw new Error(`--instances ${values.instances}: a whole number of at least 1`);
  if (!Number.isInteger(basePort) || basePort < 1) throw new Error(`--base-port ${values['base-port']}: a port number`);
  if (!existsSync(SERVER)) throw new Error(`${SERVER} is missing: run npm run build first`);

  const dir = resolve(ROOT, values.dir);
  await mkdir(dir, { recursive: true });
  const shared: NodeJS.ProcessEnv = {
    ...process.env,
    HOST: '127.0.0.1',
    // The balancer in front is on this machine: the citizen's address is the one it forwards.
    TRUST_PROXY: process.env.TRUST_PROXY ?? '127.0.0.1',
    SESSION_SECRET: process.env.SESSION_SECRET ?? (await sharedSecret(dir)),
    REDIS_URL: values['redis-url'] ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    DATABASE_URL: values['database-url'] ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  };
  say('cluster', `${count} instances from ${SERVER}; REDIS_URL=${shared.REDIS_URL} DATABASE_URL=${shared.DATABASE_URL}`);

  const instances: Instance[] = [];
  for (let n = 1; n <= count; n++) {
    const name = `app${n}`;
    const dataDir = join(dir, name);
    await mkdir(dataDir, { recursive: true });
    instances.push(launch(name, basePort + n - 1, { ...shared, DATA_DIR: dataDir }, values['show-health']));
  }

  let balancer: Balancer | undefined;
  let stopping = false;
  const stop = async (code: number): Promise<number> => {
    stopping = true;
    await stopAll(instances, balancer);
    return code;
  };

  const signalled = new Promise<number>((done) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        say('cluster', `${signal}: stopping`);
        done(0);
      });
    }
  });

  try {
    await Promise.race([Promise.all(instances.map(waitReady)), signalled.then(() => Promise.reject(new Error('stopped before ready')))]);
  } catch (err) {
    say('cluster', err instanceof Error ? err.message : String(err));
    return stop(1);
  }
  balancer = await startBalancer({
    port: Number(values.port),
    upstreams: instances.map((i) => `http://127.0.0.1:${i.port}`),
    log: (line) => say('balancer', line),
  });
  say('cluster', `ready: ${balancer.url} (Ctrl-C stops everything)`);

  const allGone = new Promise<number>((done) => {
    let left = instances.length;
    for (const i of instances) {
      void i.exited.then(() => {
        if (stopping) return;
        say('cluster', `${i.name} exited (${i.child.exitCode ?? i.child.signalCode}); the others keep serving`);
        if (--left === 0) done(1);
      });
    }
  });
  const code = await Promise.race([signalled, allGone]);
  if (code !== 0) say('cluster', 'no instance is left');
  return stop(code);
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    say('cluster', err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
