import { createServer, connect as dial, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of a service, to take it away and bring it back without touching the service (other
 * sessions use the machine's Redis): `down()` closes the port and every connection through it, `up()`
 * listens on the same port again.
 */
export async function tcpProxy(target: {
  host: string;
  port: number;
}): Promise<{ port: number; down: () => Promise<void>; up: () => Promise<void>; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = dial(target);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  const listen = (port: number) => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  await listen(0);
  const port = (server.address() as { port: number }).port;
  const down = async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of sockets) s.destroy();
    await closed;
  };
  return { port, down, up: () => listen(port), close: () => (server.listening ? down() : Promise.resolve()) };
}
