/**
 * Redis commands sent by given processes, counted on the server: the Redis here is shared with other work, so
 * `INFO commandstats` counts theirs too. MONITOR streams every command with the address of the client that sent it;
 * the processes' own connections to Redis are read from /proc (their sockets' inodes, then /proc/net/tcp), and only
 * commands from those addresses are counted, by name.
 */
import { readdir, readFile, readlink } from 'node:fs/promises';
import { connect } from 'node:net';
import { REDIS_URL } from './cluster.js';

const REDIS_PORT_HEX = (6379).toString(16).toUpperCase().padStart(4, '0');

/** `127.0.0.1:<port>` of each connection to Redis (port 6379) that process `pid` holds. */
export async function redisClients(pid: number): Promise<Set<string>> {
  const inodes = new Set<string>();
  for (const fd of await readdir(`/proc/${pid}/fd`).catch(() => [] as string[])) {
    const m = /socket:\[(\d+)\]/.exec(await readlink(`/proc/${pid}/fd/${fd}`).catch(() => ''));
    if (m?.[1]) inodes.add(m[1]);
  }
  const found = new Set<string>();
  for (const line of (await readFile('/proc/net/tcp', 'utf8')).split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    const [, local, remote, , , , , , , inode] = cols;
    if (!local || !remote || !inodes.has(inode ?? '')) continue;
    if (remote.split(':')[1] !== REDIS_PORT_HEX) continue;
    found.add(`127.0.0.1:${Number.parseInt(local.split(':')[1] ?? '0', 16)}`);
  }
  return found;
}

export interface CommandCount {
  total: number;
  byName: Map<string, number>;
}

/** Counts what the processes' Redis connections send from now until `stop()`. */
export async function countCommands(pids: readonly number[]): Promise<{ stop: () => Promise<CommandCount> }> {
  const sources = new Set<string>();
  for (const pid of pids) for (const s of await redisClients(pid)) sources.add(s);
  const count: CommandCount = { total: 0, byName: new Map() };
  // MONITOR on a plain socket: each command comes back as one status line, `+<time> [<db> <address>] "<name>" …`
  // (ioredis's own monitor mode loses its place in a fast stream: "Command queue state error").
  const { hostname, port } = new URL(REDIS_URL);
  const socket = connect({ host: hostname, port: Number(port) });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('connect', () => resolve());
  });
  socket.on('error', () => {});
  let rest = '';
  let ok = false;
  const started = new Promise<void>((resolve) => {
    socket.on('data', (d: Buffer) => {
      const lines = (rest + d.toString('latin1')).split('\r\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        if (!ok && line === '+OK') {
          ok = true;
          resolve();
          continue;
        }
        const m = MONITOR_LINE.exec(line);
        if (!m || !sources.has(m[1] as string)) continue;
        const name = (m[2] as string).toLowerCase();
        count.total++;
        count.byName.set(name, (count.byName.get(name) ?? 0) + 1);
      }
    });
  });
  socket.write('MONITOR\r\n');
  await started;
  return {
    async stop() {
      socket.destroy();
      return count;
    },
  };
}

const MONITOR_LINE = /^\+\d+\.\d+ \[\d+ ([^\]]+)\] "([^"]*)"/;
