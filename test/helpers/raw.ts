import { connect, type Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { onTestFinished } from 'vitest';

/** Listen on 127.0.0.1, any free port, and say which. */
export async function listen(app: FastifyInstance): Promise<number> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return (app.server.address() as { port: number }).port;
}

/** What a raw client got back: the status line's code and the JSON body, when there was a response at all. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/**
 * A raw TCP client on loopback, for what `fetch` cannot send (a stall, broken HTTP, a broken handshake).
 * `closedWithin(ms)` says whether the server closed the connection in that time (if not, the client
 * closes it, so the app can close); `response()` parses what came back, if anything. The socket is closed
 * when the test ends, whatever happened.
 */
export async function rawClient(port: number) {
  const socket: Socket = connect(port, '127.0.0.1');
  socket.on('error', () => {});
  onTestFinished(() => {
    socket.destroy();
  });
  let received = '';
  socket.on('data', (d: Buffer) => {
    received += d.toString('utf8');
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return {
    socket,
    send(text: string) {
      socket.write(text);
    },
    received: () => received,
    closedWithin(ms: number): Promise<boolean> {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), ms);
      });
      return Promise.race([closed.then(() => true), late]).then((byServer) => {
        clearTimeout(timer);
        socket.destroy();
        return byServer;
      });
    },
    response(): RawResponse | null {
      if (received === '') return null;
      const at = received.indexOf('\r\n\r\n');
      const [statusLine = '', ...lines] = received.slice(0, at).split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const text = received.slice(at + 4);
      return { status: Number(statusLine.split(' ')[1]), headers, body: text === '' ? null : JSON.parse(text) };
    },
  };
}
