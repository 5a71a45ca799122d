/**
 * Fuzz (issue 12): the built service gets fuzzed HTTP requests on every documented route, fuzzed
 * WebSocket sessions on /ws/chat and /ws/agent, and malformed requests and handshakes over raw sockets.
 * Counted: crashes (the process exited; it is restarted and the run goes on), 5xx, error bodies that are
 * not exactly {"error":{"code","message"}} with a registry code ("uncoded"), codes answered at another
 * status than the registry's, WebSocket error frames without a registry code, HL_ERR_INTERNAL frames,
 * connections the server closed unasked, and hangs (nothing within the timeout).
 *   tsx bench/reliability/fuzz.ts --count 14500 [--seed N] [--entry dist|src] [--out result.json]
 */
import { questions } from '../lib/server.js';
import { type CheckResult, Examples, isMain, numberArg, runAsScript } from './lib/check.js';
import { checkErrorAnswer, checkErrorBody, checkErrorFrame, registryStatus } from './lib/contract.js';
import { type FuzzContext, type HttpCase, httpCase } from './lib/fuzz-http.js';
import { rawCases } from './lib/fuzz-raw.js';
import { fuzzSession, type SessionOutcome, type WsPool } from './lib/fuzz-ws.js';
import { exchange, type RawAnswer } from './lib/raw-http.js';
import { type Entry, removeDir, type Service, startService, throwawayDir } from './lib/service.js';
import { loopback, Random } from './lib/stats.js';

export interface FuzzSizes {
  /** Inputs in all: HTTP requests, WebSocket frames and raw cases. */
  count: number;
  seed?: number;
  entry?: Entry;
  /** An answer later than this is a hang. */
  timeoutMs?: number;
  /** HTTP requests in flight at once (WebSocket sessions: half as many). */
  concurrency?: number;
}

export interface FuzzFigures {
  [k: string]: number | string;
  seed: number;
  inputs: number;
  httpRequests: number;
  rawCases: number;
  wsSessions: number;
  wsFrames: number;
  status2xx: number;
  status3xx: number;
  status4xx: number;
  status5xx: number;
  crashes: number;
  uncoded: number;
  statusNotRegistry: number;
  hangs: number;
  closedWithoutAnswer: number;
  resets: number;
  wsErrorFrames: number;
  wsUncodedFrames: number;
  wsInternalFrames: number;
  wsNotJson: number;
  wsUnexpectedCloses: number;
  wsHangs: number;
  wsRateLimitMissing: number;
  upgradesRefused: number;
  serverErrorLines: number;
}

const TOKENS = {
  agentToken: 'fuzz-agent-token-000001',
  adminToken: 'fuzz-admin-token-000001',
  wechatToken: 'fuzztoken',
};

export async function fuzz(sizes: FuzzSizes): Promise<CheckResult<FuzzFigures>> {
  const started = performance.now();
  const seed = sizes.seed ?? Math.floor(Math.random() * 2 ** 31);
  const timeoutMs = sizes.timeoutMs ?? 5000;
  const concurrency = sizes.concurrency ?? 12;
  const rng = new Random(seed);
  const qs = await questions();
  const ctx: FuzzContext = {
    ...TOKENS,
    noticeIds: ['baotou-2022-10-08', 'beijing-2020-02-07', 'dalian-2020-02-20', 'shangluo-2022-08-01', 'yunnan-2020-01'],
    questions: qs,
    regions: ['包头', '北京', '大连', '商洛', '云南', '黄岛', '火星'],
  };
  const env = {
    AGENT_TOKENS: `fuzzer:${TOKENS.agentToken}`,
    ADMIN_TOKEN: TOKENS.adminToken,
    WECHAT_TOKEN: TOKENS.wechatToken,
    // Nothing leaves the machine: a late WeChat answer would go to this closed port.
    WECHAT_API_BASE: 'http://127.0.0.1:9',
    WECHAT_APP_ID: 'wxfuzz',
    WECHAT_APP_SECRET: 'fuzz-secret',
  };
  const dataDir = await throwawayDir('fuzz');
  const f: FuzzFigures = {
    seed,
    inputs: 0,
    httpRequests: 0,
    rawCases: 0,
    wsSessions: 0,
    wsFrames: 0,
    status2xx: 0,
    status3xx: 0,
    status4xx: 0,
    status5xx: 0,
    crashes: 0,
    uncoded: 0,
    statusNotRegistry: 0,
    hangs: 0,
    closedWithoutAnswer: 0,
    resets: 0,
    wsErrorFrames: 0,
    wsUncodedFrames: 0,
    wsInternalFrames: 0,
    wsNotJson: 0,
    wsUnexpectedCloses: 0,
    wsHangs: 0,
    wsRateLimitMissing: 0,
    upgradesRefused: 0,
    serverErrorLines: 0,
  };
  const examples = new Examples(24, 2);
  const errorLines: string[] = [];

  // The service, restarted after a crash (the crash is counted with its last log lines).
  let service: Service = await startService({ entry: sizes.entry, dataDir, env });
  let restarting: Promise<Service> | null = null;
  const current = async (): Promise<Service> => {
    if (service.alive()) return service;
    restarting ??= (async () => {
      const how = await service.exited;
      f.crashes++;
      errorLines.push(...service.errorLines);
      examples.add(`crash (exit ${how.code ?? how.signal})`, () => service.tail().slice(-5).join(' | ').slice(0, 600));
      service = await startService({ entry: sizes.entry, dataDir, env });
      restarting = null;
      return service;
    })();
    return restarting;
  };

  /** Counts an answer; returns what is wrong with it (a key to group by, and why), or null. */
  const judge = (route: string, head: boolean, a: RawAnswer): { key: string; why: string } | null => {
    if (a.outcome === 'timeout') {
      f.hangs++;
      return { key: `hang ${route}`, why: `nothing within ${timeoutMs} ms` };
    }
    if (a.outcome === 'closed' || a.outcome === 'reset') {
      // Not counted against the service: a body over the limit may be cut off, CONNECT is not served.
      if (a.outcome === 'closed') f.closedWithoutAnswer++;
      else f.resets++;
      return null;
    }
    const status = a.status as number;
    if (status >= 500) f.status5xx++;
    else if (status >= 400) f.status4xx++;
    else if (status >= 300) f.status3xx++;
    else f.status2xx++;
    if (status >= 500) return { key: `5xx ${route} → ${status}`, why: a.body.slice(0, 200) };
    if (status < 400 || head) return null;
    const verdict = checkErrorAnswer(a.body, a.headers['content-type']);
    if (!verdict.ok) {
      f.uncoded++;
      return { key: `uncoded ${route} → ${status}`, why: verdict.why };
    }
    if (registryStatus(verdict.code) === status) return null;
    f.statusNotRegistry++;
    return { key: `status ${route} → ${status} ${verdict.code}`, why: `the registry says ${registryStatus(verdict.code)}` };
  };
  const describe = (c: HttpCase) => `${c.method} ${c.target.slice(0, 100)}${c.target.length > 100 ? '…' : ''} [${c.what.join(', ')}]`;

  // 1. Raw malformed requests and handshakes, one connection each; the failing ones grouped by what was wrong.
  const rawFailures = new Map<string, string[]>();
  for (const raw of rawCases(TOKENS.agentToken)) {
    const s = await current();
    const a = await exchange(raw.bytes, { port: s.port, timeoutMs });
    f.rawCases++;
    const fault = judge('raw', false, a);
    if (fault) {
      const key = `${fault.key}: ${fault.why.slice(0, 100)}`;
      rawFailures.set(key, [...(rawFailures.get(key) ?? []), raw.name]);
    }
  }
  for (const [key, names] of rawFailures) examples.add(key, () => `${names.length} cases (${names.join('; ')})`);

  // 2. HTTP requests and WebSocket sessions side by side, until the inputs are used up.
  const budget = Math.max(0, sizes.count - f.rawCases);
  const wsBudget = Math.round(budget * 0.25);
  const httpBudget = budget - wsBudget;
  let sourceN = 0;
  const httpWorker = async () => {
    while (f.httpRequests < httpBudget) {
      f.httpRequests++;
      const c = httpCase(rng, ctx);
      const s = await current();
      const a = await exchange(c.bytes, { port: s.port, localAddress: loopback(sourceN++), timeoutMs, head: c.head });
      if (a.outcome !== 'answered' && !s.alive()) continue;
      const fault = judge(c.route, c.head, a);
      if (fault) examples.add(fault.key, () => `${describe(c)}: ${fault.why}`, `${a.status} ${fault.why.slice(0, 60)}`);
    }
  };
  const pool: WsPool = { sessions: [] };
  const wsWorker = async () => {
    while (f.wsFrames < wsBudget) {
      const frames = Math.min(rng.int(1, 12), wsBudget - f.wsFrames);
      const s = await current();
      const o = await fuzzSession(rng, ctx, pool, { port: s.port, localAddress: loopback(sourceN++), timeoutMs }, frames);
      f.wsSessions++;
      f.wsFrames += Math.max(o.frames, 1);
      if (!s.alive()) continue;
      judgeSession(o);
    }
  };
  const judgeSession = (o: SessionOutcome) => {
    const where = `/ws/${o.channel}`;
    if (o.refused) {
      f.upgradesRefused++;
      if (o.refused.status >= 500) {
        f.status5xx++;
        examples.add(`5xx upgrade ${where} → ${o.refused.status}`, () => o.refused?.body.slice(0, 200) ?? '');
      }
      const verdict = checkErrorBody(o.refused.body);
      if (!verdict.ok) {
        f.uncoded++;
        examples.add(`uncoded upgrade ${where} → ${o.refused.status}`, () => verdict.why);
      }
    }
    let rateLimited = false;
    for (const frame of o.received) {
      if (frame.type !== 'error') continue;
      f.wsErrorFrames++;
      const verdict = checkErrorFrame(frame);
      if (!verdict.ok) {
        f.wsUncodedFrames++;
        examples.add(`uncoded frame ${where}`, () => `${verdict.why}: ${JSON.stringify(frame).slice(0, 200)}`);
      } else if (verdict.code === 'HL_ERR_INTERNAL') {
        f.wsInternalFrames++;
        examples.add(`internal error frame ${where}`, () => JSON.stringify(frame).slice(0, 200));
      } else if (verdict.code === 'HL_ERR_WS_RATE_LIMITED') rateLimited = true;
    }
    if (o.notJson.length > 0) {
      f.wsNotJson += o.notJson.length;
      examples.add(`not JSON ${where}`, () => o.notJson[0] ?? '');
    }
    if (o.serverClose && !o.serverClose.provoked) {
      f.wsUnexpectedCloses++;
      examples.add(`closed unasked ${where} ${o.serverClose.code}`, () => `after ${o.frames} frames`);
    }
    if (o.hang) {
      f.wsHangs++;
      examples.add(`hang ${where}`, () => `no pong within ${timeoutMs} ms after ${o.frames} frames`);
    }
    if (o.burst && !o.serverClose && !rateLimited) {
      f.wsRateLimitMissing++;
      examples.add(`no rate limit ${where}`, () => `${o.frames} frames in a burst, no HL_ERR_WS_RATE_LIMITED`);
    }
  };
  await Promise.all([
    ...Array.from({ length: concurrency }, httpWorker),
    ...Array.from({ length: Math.max(1, Math.floor(concurrency / 2)) }, wsWorker),
  ]);

  const final = await current();
  errorLines.push(...final.errorLines);
  await final.stop();
  await removeDir(dataDir);
  f.inputs = f.rawCases + f.httpRequests + f.wsFrames;
  f.serverErrorLines = errorLines.length;
  for (const line of new Set(errorLines)) examples.add('server error log', () => line);

  const reasons: string[] = [];
  if (f.crashes > 0) reasons.push(`${f.crashes} crashes`);
  if (f.status5xx > 0) reasons.push(`${f.status5xx} answers with a 5xx status`);
  if (f.uncoded > 0) reasons.push(`${f.uncoded} error answers without the contract's body and a registry code`);
  if (f.statusNotRegistry > 0) reasons.push(`${f.statusNotRegistry} error answers at another status than the registry gives their code`);
  if (f.hangs > 0) reasons.push(`${f.hangs} requests unanswered after ${timeoutMs} ms`);
  if (f.wsUncodedFrames > 0) reasons.push(`${f.wsUncodedFrames} WebSocket error frames without a registry code`);
  if (f.wsInternalFrames > 0) reasons.push(`${f.wsInternalFrames} WebSocket frames answered HL_ERR_INTERNAL`);
  if (f.wsNotJson > 0) reasons.push(`${f.wsNotJson} server frames that are not JSON objects`);
  if (f.wsUnexpectedCloses > 0) reasons.push(`${f.wsUnexpectedCloses} WebSocket connections closed by the server unasked`);
  if (f.wsHangs > 0) reasons.push(`${f.wsHangs} WebSocket sessions that stopped answering`);
  if (f.wsRateLimitMissing > 0) reasons.push(`${f.wsRateLimitMissing} chat bursts past the rate limit without HL_ERR_WS_RATE_LIMITED`);
  return {
    check: 'fuzz',
    pass: reasons.length === 0,
    reasons,
    sizes: { count: sizes.count, timeoutMs, concurrency, entry: sizes.entry ?? 'dist' },
    figures: f,
    examples: examples.list,
    seconds: (performance.now() - started) / 1000,
  };
}

if (isMain(import.meta.url)) {
  await runAsScript(async (args) =>
    fuzz({
      count: numberArg(args, 'count', 14_500),
      ...(args.has('seed') && { seed: numberArg(args, 'seed', 0) }),
      entry: (args.get('entry') as Entry | undefined) ?? 'dist',
      concurrency: numberArg(args, 'concurrency', 12),
    }),
  );
}
