import type { LinkState } from './labels.js';
import { type ClientFrame, parseServerFrame, type ServerFrame } from './protocol.js';

export interface LinkEvents {
  frame(frame: ServerFrame): void;
  state(state: LinkState): void;
  /**
   * The socket closed before it opened: the server refused the upgrade (a 401 shows in a browser only as
   * close 1006 before open) or could not be reached. Resolves true to keep retrying, false when the
   * console signed out instead.
   */
  refused(): Promise<boolean>;
}

const PING_MS = 20_000;
/** With a ping every 20 s, this long without any frame means the connection is dead though not closed. */
const SILENCE_MS = 50_000;

/**
 * The console's WebSocket to /ws/agent: connects with the token in the query (a browser cannot set
 * headers on a WebSocket), pings, and reconnects with exponential backoff and jitter when an open
 * connection drops. Frames sent while it is down are refused (`send` returns false), not queued: an
 * agent's reply must not arrive minutes late without the agent knowing.
 */
export class AgentLink {
  private socket: WebSocket | null = null;
  private token: string | null = null;
  private attempts = 0;
  /** Bumped by open/stop, so callbacks of an older connection do nothing. */
  private generation = 0;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private lastHeard = 0;

  constructor(private readonly events: LinkEvents) {}

  get online(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  open(token: string): void {
    this.stop();
    this.token = token;
    this.connect();
  }

  stop(): void {
    this.generation++;
    this.token = null;
    this.attempts = 0;
    clearTimeout(this.retry);
    clearInterval(this.heartbeat);
    const ws = this.socket;
    this.socket = null;
    ws?.close(1000, 'signed out');
  }

  send(frame: ClientFrame): boolean {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  private connect(): void {
    const token = this.token;
    if (token === null) return;
    const generation = this.generation;
    this.events.state(this.attempts === 0 ? 'connecting' : 'reconnecting');
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    let ws: WebSocket;
    try {
      ws = new WebSocket(`${scheme}://${location.host}/ws/agent?token=${encodeURIComponent(token)}`);
    } catch {
      this.schedule(generation);
      return;
    }
    this.socket = ws;
    let opened = false;
    ws.addEventListener('open', () => {
      if (this.socket !== ws) return;
      opened = true;
      this.attempts = 0;
      this.lastHeard = Date.now();
      this.events.state('online');
      clearInterval(this.heartbeat);
      this.heartbeat = setInterval(() => this.beat(ws), PING_MS);
    });
    ws.addEventListener('message', (event) => {
      if (this.socket !== ws) return;
      this.lastHeard = Date.now();
      const frame = parseServerFrame(event.data);
      if (frame) this.events.frame(frame);
    });
    ws.addEventListener('close', () => {
      void this.lost(ws, opened, generation);
    });
  }

  private beat(ws: WebSocket): void {
    if (this.socket !== ws) return;
    if (Date.now() - this.lastHeard > SILENCE_MS) {
      void this.lost(ws, true, this.generation);
      ws.close(4000, 'no answer');
      return;
    }
    ws.send(JSON.stringify({ type: 'ping' } satisfies ClientFrame));
  }

  private async lost(ws: WebSocket, opened: boolean, generation: number): Promise<void> {
    if (this.socket !== ws) return;
    this.socket = null;
    clearInterval(this.heartbeat);
    this.events.state('reconnecting');
    if (!opened && !(await this.events.refused())) return;
    if (generation === this.generation) this.schedule(generation);
  }

  private schedule(generation: number): void {
    const delay = Math.min(30_000, 500 * 2 ** this.attempts++) * (0.75 + Math.random() / 2);
    clearTimeout(this.retry);
    this.retry = setTimeout(() => {
      if (generation === this.generation) this.connect();
    }, delay);
  }
}
