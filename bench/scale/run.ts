/**
 * Scale-out benchmark (issue 15's closing measures): one instance against two on one PostgreSQL and one Redis, on
 * this machine's loopback, each figure min / median / max of `--runs` runs. Writes bench/scale/RESULTS.md.
 *
 *   npm run build && npx tsx bench/scale/run.ts [--runs 3] [--seconds 5] [--connections 50] [--sockets 500]
 *     [--rate N (default: half of what one instance answered at the most in the run)] [--citizens 50] [--failover-seconds 10] [--kill-after 4] [--out bench/scale/RESULTS.md]
 *
 * (1) `/api/ask` req/s and latency (autocannon); (2) WebSocket chat at a fixed rate and at the most it gets through;
 * (3) PostgreSQL statements and Redis commands per chat turn; (4) SIGKILL of one of two instances behind the balancer.
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { questions } from '../lib/server.js';
import { argValue } from '../lib/spread.js';
import { type AskFigures, askLoad } from './ask.js';
import { type ChatFigures, closedLoop, closeSockets, fixedRate, openSockets } from './chat.js';
import { newRun, removeRun, sleep, startBalancer, startPair, statements, stopAll } from './cluster.js';
import { cpuDuring } from './cpu.js';
import { type FailoverFigures, failover } from './failover.js';
import { AUTO_RATE, type Round, type Settings, writeResults } from './report.js';
import { type TurnFigures, turnCosts } from './turns.js';

const num = (name: string, fallback: number) => Number(argValue(name) ?? fallback);
const settings: Settings = {
  runs: num('runs', 3),
  seconds: num('seconds', 5),
  connections: num('connections', 50),
  sockets: num('sockets', 500),
  rate: argValue('rate') === undefined ? null : Number(argValue('rate')),
  citizens: num('citizens', 50),
  failoverSeconds: num('failover-seconds', 10),
  killAfter: num('kill-after', 4),
  loadBefore: loadavg()[0] ?? 0,
};
const out = argValue('out') ?? join('bench', 'scale', 'RESULTS.md');
const qs = await questions();
const run = newRun();
const say = (line: string) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
const showAsk = (f: AskFigures) => `${f.rps.toFixed(0)} req/s, p50 ${f.p50} ms, p99 ${f.p99} ms, non-2xx ${f.non2xx}, errors ${f.errors}`;
const showChat = (f: ChatFigures) =>
  `${f.rate.toFixed(0)} msg/s, p50 ${f.p50.toFixed(1)} ms, p99 ${f.p99.toFixed(1)} ms, errors ${f.errors}, unanswered ${f.unanswered}`;

const rounds: Round[] = [];
const failovers: FailoverFigures[] = [];
const turns: TurnFigures[] = [];
say(`schema ${run.schema}, Redis prefix ${run.prefix}; load average ${settings.loadBefore.toFixed(2)}`);
try {
  // (1), (2): one pair for every run; "one instance" loads A alone (B up and idle beside it).
  const pair = await startPair(run);
  const balancer = await startBalancer(pair);
  const [a, b] = pair;
  const processes = { 'instance A': [a.pid], 'instance B': [b.pid], balancer: [balancer.pid], 'this process (load)': [process.pid] };
  /** Where the CPU goes over a phase's measured window (it starts with the phase). */
  const cpu = async () => (await cpuDuring(processes, () => sleep(settings.seconds * 1000))).cpu;
  try {
    // Warm-up: both instances' code optimized before anything is counted.
    await askLoad([a.base, b.base], qs, 3, settings.connections);
    for (let r = 1; r <= settings.runs; r++) {
      const before = await statements(a);
      const [ask1, cpuAsk1] = await Promise.all([askLoad([a.base], qs, settings.seconds, settings.connections), cpu()]);
      const askStatements = ((await statements(a)) - before) / ask1.requests;
      say(`run ${r} ask, 1 instance: ${showAsk(ask1)}, ${askStatements.toFixed(1)} statements per request`);
      const [ask2, cpuAsk2] = await Promise.all([askLoad([a.base, b.base], qs, settings.seconds, settings.connections), cpu()]);
      say(`run ${r} ask, 2 instances: ${showAsk(ask2)}`);
      const [askLb, cpuAskLb] = await Promise.all([askLoad([balancer.url], qs, settings.seconds, settings.connections), cpu()]);
      say(`run ${r} ask, 2 instances through the balancer: ${showAsk(askLb)}`);
      // The most first; the fixed rate, unless given, is a share of what one instance managed in this run.
      const chat = async (bases: string[], tag: string, rate?: number) => {
        const sockets = await openSockets(bases, settings.sockets);
        try {
          const [max, cpuMax] = await Promise.all([closedLoop(sockets, qs, settings.seconds, `${tag}m`), cpu()]);
          const used = rate ?? settings.rate ?? Math.max(5, Math.round(AUTO_RATE * max.rate));
          const fixed = await fixedRate(sockets, qs, used, settings.seconds, `${tag}f`);
          return { fixed, max, rate: used, cpu: cpuMax };
        } finally {
          closeSockets(sockets);
        }
      };
      const one = await chat([a.base], `r${r}a`);
      say(`run ${r} chat, 1 instance: most ${showChat(one.max)}; fixed ${one.rate}/s ${showChat(one.fixed)}`);
      const two = await chat([a.base, b.base], `r${r}b`, one.rate);
      say(`run ${r} chat, 2 instances: most ${showChat(two.max)}; fixed ${two.rate}/s ${showChat(two.fixed)}`);
      rounds.push({
        ask1,
        askStatements,
        ask2,
        askLb,
        fixed1: one.fixed,
        fixed2: two.fixed,
        max1: one.max,
        max2: two.max,
        rate: one.rate,
        cpu: { ask1: cpuAsk1, ask2: cpuAsk2, askLb: cpuAskLb, max1: one.cpu, max2: two.cpu },
      });
    }
  } finally {
    await balancer.stop();
    await stopAll(pair);
  }

  // (4) each run on a pair of its own: one of them is killed.
  for (let r = 1; r <= settings.runs; r++) {
    const f = await failover(run, settings.citizens, settings.failoverSeconds, settings.killAfter);
    say(
      `run ${r} failover: ${f.affected}/${f.citizens} affected, ${f.resumed} resumed, ready p50 ${f.readyP50.toFixed(0)} ms max ${f.readyMax.toFixed(0)} ms, acked ${f.ackedBefore} + ${f.ackedAfter}, lost ${f.lost}, unacknowledged ${f.unacknowledged} (${f.unacknowledgedKept} kept), errors ${f.errors}`,
    );
    failovers.push(f);
  }

  // (3) each run on a schema, a prefix and a pair of its own: its queued chats and its agent stay in the desk's shared
  // state (an agent stays registered for a grace period after its console closes).
  for (let r = 1; r <= settings.runs; r++) {
    const own = newRun();
    const costPair = await startPair(own);
    try {
      const t = await turnCosts(costPair, qs, `t${r}`);
      say(
        `run ${r} per turn: first ${t.first.statements.toFixed(2)} statements ${t.first.redis.toFixed(2)} Redis; later ${t.later.statements.toFixed(2)} / ${t.later.redis.toFixed(2)}; queued ${t.queued.statements.toFixed(2)} / ${t.queued.redis.toFixed(2)}; errors ${t.errors}; handed over ${t.handoffs.first.toFixed(2)} / ${t.handoffs.later.toFixed(2)}`,
      );
      turns.push(t);
    } finally {
      await stopAll(costPair);
      await removeRun(own);
    }
  }
} finally {
  await removeRun(run);
}
settings.loadAfter = loadavg()[0] ?? 0;
await writeResults(out, settings, rounds, failovers, turns);
say(`wrote ${out}`);
