/**
 * Where the machine's CPU went during a phase, in cores (CPU seconds ÷ wall seconds): given processes (the
 * instances, the balancer, this process), PostgreSQL's and Redis's processes (all of them: they serve other work too),
 * and the rest of the machine's busy time (/proc/stat), which is other work.
 */
import { readdir, readFile } from 'node:fs/promises';

/** Clock ticks per second of /proc's CPU times (USER_HZ; 100 on Linux). */
const HZ = 100;

/** A process's user + system time in ticks; 0 once it is gone. */
async function ticks(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // The command may hold spaces: the fields after its closing parenthesis, utime and stime the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
}

async function pidsNamed(name: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const comm = await readFile(`/proc/${entry}/comm`, 'utf8').catch(() => '');
    if (comm.trim() === name) pids.push(Number(entry));
  }
  return pids;
}

/** The machine's busy and total ticks over all CPUs. */
async function machine(): Promise<{ busy: number; total: number }> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0] ?? '';
  const n = line.trim().split(/\s+/).slice(1).map(Number);
  const total = n.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = (n[3] ?? 0) + (n[4] ?? 0);
  return { busy: total - idle, total };
}

/** Cores used during a phase, by who used them. */
export type CpuUse = Record<string, number>;

/** Runs `work`, and says how many cores each group of `named` processes, PostgreSQL, Redis and the rest used meanwhile. */
export async function cpuDuring<T>(named: Record<string, readonly number[]>, work: () => Promise<T>): Promise<{ value: T; cpu: CpuUse }> {
  const groups: Record<string, readonly number[]> = {
    ...named,
    PostgreSQL: await pidsNamed('postgres'),
    Redis: await pidsNamed('redis-server'),
  };
  const read = async () => {
    const by: Record<string, number> = {};
    for (const [name, pids] of Object.entries(groups)) by[name] = (await Promise.all(pids.map(ticks))).reduce((a, b) => a + b, 0);
    return { by, machine: await machine() };
  };
  const before = await read();
  const t0 = performance.now();
  const value = await work();
  const seconds = (performance.now() - t0) / 1000;
  const after = await read();
  const cpu: CpuUse = {};
  let counted = 0;
  for (const name of Object.keys(groups)) {
    const used = ((after.by[name] ?? 0) - (before.by[name] ?? 0)) / HZ;
    counted += used;
    cpu[name] = used / seconds;
  }
  const busy = (after.machine.busy - before.machine.busy) / HZ;
  cpu['everything else'] = Math.max(0, busy - counted) / seconds;
  cpu['machine busy'] = busy / seconds;
  return { value, cpu };
}
