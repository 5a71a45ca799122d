/**
 * (1) `POST /api/ask` under autocannon: the own labelled set's questions in turn, no sessionId (each request a new
 * conversation, as a one-off caller is), on one instance, on two (connections split evenly between their ports:
 * autocannon's several URLs), and on two through the balancer.
 */
import autocannon from 'autocannon';

export interface AskFigures {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
}

export async function askLoad(bases: readonly string[], qs: readonly string[], seconds: number, connections: number): Promise<AskFigures> {
  const requests = qs.map((q) => ({
    method: 'POST' as const,
    path: '/api/ask',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text: q }),
  }));
  const result = await new Promise<autocannon.Result>((resolve, reject) =>
    autocannon(
      {
        url: bases.map((b) => `${b}/api/ask`),
        requests,
        duration: seconds,
        connections,
      } as unknown as autocannon.Options,
      (err, r) => (err ? reject(err) : resolve(r)),
    ),
  );
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}
