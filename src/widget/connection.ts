import type { LinkState } from './labels.js';
import type { ServerFrame } from './types.js';

export interface LinkHandlers {
  /** The hello frame to open each connection with (resuming the stored session). */
  hello(): object;
  frame(f: ServerFrame): void;
  state(s: LinkState): void;
  /** An open connection closed: the first of an outage, not every failed retry. */
  dropped(): void;
}

export interface Link {
  /** Connect, unless already connected or connecting. */
  start(): void;
  readonly started: boolean;
  /** Send now, or when the connection is back. */
  send(frame: object): void;
}

/** The socket to /ws/chat: hello first, frames queued while down, reconnects with exponential backoff and jitter. */
export function link(url: string, on: LinkHandlers): Link {
  let socket: WebSocket | null = null;
  let attempts = 0;
  let started = false;
  /** An outage is going on (an open connection closed and no new one opened yet). */
  let down = false;
  const outbox: string[] = [];

  const connect = () => {
    on.state(attempts === 0 && !down ? 'connecting' : 'reconnecting');
    const ws = new WebSocket(url);
    socket = ws;
    let opened = false;
    ws.addEventListener('open', () => {
      opened = true;
      attempts = 0;
      down = false;
      on.state('online');
      ws.send(JSON.stringify(on.hello()));
      for (const f of outbox.splice(0)) ws.send(f);
    });
    ws.addEventListener('message', (event) => {
      let frame: ServerFrame;
      try {
        frame = JSON.parse(String(event.data)) as ServerFrame;
      } catch {
        return;
      }
      if (frame && typeof frame.type === 'string') on.frame(frame);
    });
    ws.addEventListener('close', () => {
      if (socket !== ws) return;
      socket = null;
      if (opened && !down) {
        down = true;
        on.dropped();
      }
      const delay = Math.min(30_000, 500 * 2 ** attempts++) * (0.75 + Math.random() / 2);
      on.state('dropped');
      setTimeout(connect, delay);
    });
  };

  return {
    start() {
      if (started) return;
      started = true;
      connect();
    },
    get started() {
      return started;
    },
    send(frame) {
      const text = JSON.stringify(frame);
      if (socket?.readyState === WebSocket.OPEN) socket.send(text);
      else outbox.push(text);
    },
  };
}
