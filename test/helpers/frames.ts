import type WebSocket from 'ws';

export type Frame = Record<string, unknown> & { type: string };

/** Collects a socket's JSON frames and waits for the next one of a type (5 s, then fails naming what came). */
export function frames(socket: WebSocket) {
  const queue: Frame[] = [];
  const waiters: { type: string; resolve: (f: Frame) => void }[] = [];
  socket.on('message', (data) => {
    const f = JSON.parse(data.toString()) as Frame;
    const i = waiters.findIndex((w) => w.type === f.type);
    if (i >= 0) waiters.splice(i, 1)[0]?.resolve(f);
    else queue.push(f);
  });
  return {
    next(type: string, timeoutMs = 5000): Promise<Frame> {
      const i = queue.findIndex((f) => f.type === type);
      if (i >= 0) return Promise.resolve(queue.splice(i, 1)[0] as Frame);
      return new Promise((resolve, reject) => {
        const waiter = { type, resolve };
        waiters.push(waiter);
        setTimeout(() => {
          const at = waiters.indexOf(waiter);
          if (at >= 0) waiters.splice(at, 1);
          reject(new Error(`no ${type} frame; got ${JSON.stringify(queue)}`));
        }, timeoutMs);
      });
    },
    /** Frames received and not yet taken. */
    queue,
  };
}
