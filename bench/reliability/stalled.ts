/**
 * Stalled bodies (issue 12): sockets send the whole head of a `POST /api/ask` with `Content-Length: 1000`,
 * then 10 bytes of body, then nothing. The service must drop each within its request timeout
 * (HTTP_REQUEST_TIMEOUT_MS, set small here) plus a slack; after three times the timeout the check gives up
 * and counts the sockets still open as held. Meanwhile `/healthz` must still answer. Whatever the service
 * sends before closing must keep the error contract.
 *   tsx bench/reliability/stalled.ts --sockets 50 --timeout-ms 2000 [--slack-ms 1000] [--entry dist|src]
 */
import { connect, type Socket } from 'node:net';
import { type CheckResult, isMain, numberArg, runAsScript } from './lib/check.js';
import { checkErrorBody } from './lib/contract.js';
import { parse } from './lib/raw-http.js';
import { type Entry, removeDir, startService, throwawayDir } from './lib/service.js';
import { quantile, round } from './lib/stats.js';

export interface StalledSizes {
  sockets: number;
  /** HTTP_REQUEST_TIMEOUT_MS given to the service. */
  timeoutMs: number;
  /** How much later than the timeout a drop still counts as in time; 1000 ms. */
  slackMs?: number;
  entry?: Entry;
}

export interface StalledFigures {
  [k: string]: number | string | null;
  sockets: number;
  closedInTime: number;
  closedLate: number;
  held: number;
  closeP50Ms: number | null;
  closeMaxMs: number | null;
  answered: number;
  answeredUncoded: number;
  answer: string;
  healthzMs: number | null;
}

const HEAD = [
  'POST /api/ask HTTP/1.1',
  'Host: 127.0.0.1',
  'Content-Type: application/json',
  'Content-Length: 1000',
  'Connection: keep-alive',
  '',
  '',
].join('\r\n');

export async function stalled(sizes: StalledSizes): Promise<CheckResult<StalledFigures>> {
  const started = performance.now();
  const slackMs = sizes.slackMs ?? 1000;
  const giveUpMs = 3 * sizes.timeoutMs;
  const dataDir = await throwawayDir('stalled');
  const service = await startService({
    entry: sizes.entry,
    dataDir,
    env: { HTTP_REQUEST_TIMEOUT_MS: String(sizes.timeoutMs), RATE_LIMIT_MAX: '100000' },
  });

  const closes: (number | null)[] = [];
  const answers: Buffer[] = [];
  const sockets: Socket[] = [];
  const watch = (i: number) =>
    new Promise<void>((resolve) => {
      const socket = connect({ port: service.port, host: '127.0.0.1' });
      sockets.push(socket);
      let sentAt = 0;
      let received = Buffer.alloc(0);
      const timer = setTimeout(() => {
        closes[i] = null;
        socket.destroy();
        resolve();
      }, giveUpMs);
      socket.on('connect', () => {
        socket.write(HEAD);
        socket.write('{"text":"报', () => {
          sentAt = performance.now();
        });
      });
      socket.on('data', (d: Buffer) => {
        received = Buffer.concat([received, d]);
      });
      socket.on('error', () => undefined);
      socket.on('close', () => {
        if (closes[i] !== undefined) return;
        clearTimeout(timer);
        closes[i] = performance.now() - (sentAt || performance.now());
        answers[i] = received;
        resolve();
      });
    });
  const watching = Array.from({ length: sizes.sockets }, (_, i) => watch(i));
  // While they stall, an ordinary request is still answered.
  await new Promise((r) => setTimeout(r, Math.min(500, sizes.timeoutMs / 2)));
  const t0 = performance.now();
  const health = await fetch(`${service.base}/healthz`, { signal: AbortSignal.timeout(5000) }).then(
    (res) => (res.ok ? performance.now() - t0 : null),
    () => null,
  );
  await Promise.all(watching);
  for (const s of sockets) s.destroy();
  const alive = service.alive();
  await service.stop();
  await removeDir(dataDir);

  const times = closes.filter((c): c is number => c !== null);
  const limit = sizes.timeoutMs + slackMs;
  const answered = answers.filter((a) => a && a.length > 0);
  const verdicts = answered.map((a) => {
    const p = parse(a, false);
    const body = p.body.toString();
    return { status: p.status, body, ok: p.status !== null && p.status >= 400 && checkErrorBody(body).ok };
  });
  const first = verdicts[0];
  const f: StalledFigures = {
    sockets: sizes.sockets,
    closedInTime: times.filter((t) => t <= limit).length,
    closedLate: times.filter((t) => t > limit).length,
    held: closes.filter((c) => c === null).length,
    closeP50Ms: times.length ? round(quantile(times, 0.5), 0) : null,
    closeMaxMs: times.length ? round(Math.max(...times), 0) : null,
    answered: answered.length,
    answeredUncoded: verdicts.filter((v) => !v.ok).length,
    answer: first ? `${first.status ?? 'no status line'} ${first.body.slice(0, 120)}` : 'none (closed without an answer)',
    healthzMs: health === null ? null : round(health, 1),
  };
  const reasons: string[] = [];
  if (f.held > 0) reasons.push(`${f.held} of ${f.sockets} stalled sockets still held after ${giveUpMs} ms (timeout ${sizes.timeoutMs} ms)`);
  if (f.closedLate > 0) reasons.push(`${f.closedLate} dropped later than ${limit} ms (slowest ${f.closeMaxMs} ms)`);
  if (f.answeredUncoded > 0) reasons.push(`${f.answeredUncoded} answered without the error contract: ${f.answer}`);
  if (health === null) reasons.push('/healthz did not answer while the sockets stalled');
  if (!alive) reasons.push('the service exited');
  return {
    check: 'stalled',
    pass: reasons.length === 0,
    reasons,
    sizes: { sockets: sizes.sockets, timeoutMs: sizes.timeoutMs, slackMs, entry: sizes.entry ?? 'dist' },
    figures: f,
    examples: [],
    seconds: (performance.now() - started) / 1000,
  };
}

if (isMain(import.meta.url)) {
  await runAsScript(async (args) =>
    stalled({
      sockets: numberArg(args, 'sockets', 50),
      timeoutMs: numberArg(args, 'timeout-ms', 2000),
      slackMs: numberArg(args, 'slack-ms', 1000),
      entry: (args.get('entry') as Entry | undefined) ?? 'dist',
    }),
  );
}
