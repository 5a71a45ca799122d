import WebSocket from 'ws';

export type Frame = Record<string, unknown> & { type: string };

/** Opens a WebSocket; rejects on error, a refused upgrade or after `timeoutMs`. */
export function openSocket(
  url: string,
  options: { headers?: Record<string, string>; localAddress?: string; timeoutMs?: number } = {},
): Promise<WebSocket> {
  const socket = new WebSocket(url, {
    headers: options.headers ?? {},
    handshakeTimeout: options.timeoutMs ?? 5000,
    ...(options.localAddress && { localAddress: options.localAddress }),
  });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('error', (err) => {
      socket.terminate();
      reject(err);
    });
  });
}

/** Collects a socket's JSON frames; `next(type)` waits for the next of a type (rejects after `timeoutMs`). */
export function frameReader(socket: WebSocket) {
  const queue: Frame[] = [];
  const waiters: { types: readonly string[]; resolve: (f: Frame) => void }[] = [];
  socket.on('message', (data) => {
    let f: Frame;
    try {
      f = JSON.parse(data.toString()) as Frame;
    } catch {
      f = { type: '(not JSON)', text: data.toString().slice(0, 200) };
    }
    const i = waiters.findIndex((w) => w.types.includes(f.type));
    if (i >= 0) waiters.splice(i, 1)[0]?.resolve(f);
    else queue.push(f);
  });
  /** The next frame of any of the types. */
  const any = (types: readonly string[], timeoutMs = 5000): Promise<Frame> => {
    const i = queue.findIndex((f) => types.includes(f.type));
    if (i >= 0) return Promise.resolve(queue.splice(i, 1)[0] as Frame);
    return new Promise((resolve, reject) => {
      const waiter = {
        types,
        resolve: (f: Frame) => {
          clearTimeout(timer);
          resolve(f);
        },
      };
      const timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(waiter), 1);
        reject(new Error(`no ${types.join(' or ')} frame within ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.push(waiter);
    });
  };
  return { queue, any, next: (type: string, timeoutMs = 5000) => any([type], timeoutMs) };
}

/** Closes and waits for the close (terminates after 2 s). */
export async function closeSocket(socket: WebSocket): Promise<void> {
  if (socket.readyState === WebSocket.CLOSED) return;
  const closed = new Promise((r) => socket.once('close', r));
  socket.close(1000);
  const timer = setTimeout(() => socket.terminate(), 2000);
  await closed;
  clearTimeout(timer);
}
