import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';

/**
 * Pings every watched socket each `intervalMs`; one that has not answered the previous ping (pong, or any
 * frame when `alive` is called) is terminated, which fires its `close`. Stops when the app closes.
 */
export function heartbeat(app: FastifyInstance, intervalMs: number) {
  const alive = new Map<WebSocket, boolean>();
  const timer = setInterval(() => {
    for (const [socket, ok] of alive) {
      if (!ok) {
        socket.terminate();
        continue;
      }
      alive.set(socket, false);
      socket.ping();
    }
  }, intervalMs);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));
  return {
    watch(socket: WebSocket): void {
      alive.set(socket, true);
      socket.on('pong', () => alive.set(socket, true));
      socket.on('close', () => alive.delete(socket));
    },
    /** The socket showed it is there (a frame came in). */
    alive(socket: WebSocket): void {
      if (alive.has(socket)) alive.set(socket, true);
    },
  };
}
