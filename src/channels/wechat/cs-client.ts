import { HlError } from '../../errors.js';

/**
 * The 客服消息 API: late answers and agents' replies sent outside the 5-second passive reply. Holds one
 * access_token, refreshed ahead of expiry by a single request however many callers wait for it.
 */

/** errcodes meaning the access_token we sent is no longer good: refresh once and retry. */
const TOKEN_ERRORS = new Set([40001, 40014, 42001]);
/** 45015: the 48 h window after the user's last message has passed; 45047: its 5 messages are used. */
const QUOTA_ERRORS = new Set([45015, 45047]);

export interface CustomerServiceOptions {
  /** https://api.weixin.qq.com in production; a local fake in tests. */
  baseUrl: string;
  appId: string;
  appSecret: string;
  /** Milliseconds since the epoch. */
  now: () => number;
  fetch?: typeof globalThis.fetch;
  /** Per request; default 5000 ms. */
  timeoutMs?: number;
  /** Refresh this long before the token expires; default 5 min. */
  refreshMarginMs?: number;
}

interface CachedToken {
  token: string;
  expiresAt: number;
  refreshAt: number;
}

export class CustomerServiceClient {
  private readonly base: string;
  private readonly fetch: typeof globalThis.fetch;
  private readonly timeoutMs: number;
  private readonly marginMs: number;
  private cached: CachedToken | undefined;
  private inflight: Promise<string> | undefined;

  constructor(private readonly options: CustomerServiceOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
    this.fetch = options.fetch ?? globalThis.fetch;
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.marginMs = options.refreshMarginMs ?? 5 * 60_000;
  }

  /** A valid access_token: the cached one, or one shared refresh. */
  accessToken(): Promise<string> {
    const cached = this.cached;
    if (cached && this.options.now() < cached.refreshAt) return Promise.resolve(cached.token);
    this.inflight ??= this.refresh().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  /** Sends a text message; HL_ERR_WECHAT_QUOTA when WeChat takes no more for this user. */
  async sendText(openid: string, content: string): Promise<void> {
    await this.post('message/custom/send', { touser: openid, msgtype: 'text', text: { content } });
  }

  /** Shows "typing…" to the user for 15 s while a late answer is prepared. */
  async typing(openid: string): Promise<void> {
    await this.post('message/custom/typing', { touser: openid, command: 'Typing' });
  }

  private async refresh(): Promise<string> {
    const query = new URLSearchParams({ grant_type: 'client_credential', appid: this.options.appId, secret: this.options.appSecret });
    const body = await this.call('token', `${this.base}/cgi-bin/token?${query}`, { method: 'GET' });
    checkErrcode('token', body);
    const { access_token: token, expires_in: expiresIn } = body;
    if (typeof token !== 'string' || token === '' || typeof expiresIn !== 'number' || !(expiresIn > 0)) {
      throw new HlError('HL_ERR_WECHAT_API', ['token', 'no access_token or expires_in in the answer']);
    }
    const now = this.options.now();
    const lifetime = expiresIn * 1000;
    this.cached = { token, expiresAt: now + lifetime, refreshAt: now + lifetime - Math.min(this.marginMs, lifetime / 2) };
    return token;
  }

  private async post(api: string, payload: object): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.accessToken();
      const url = `${this.base}/cgi-bin/${api}?access_token=${encodeURIComponent(token)}`;
      const init = { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(payload) };
      const body = await this.call(api, url, init);
      const errcode = body.errcode ?? 0;
      if (attempt === 0 && typeof errcode === 'number' && TOKEN_ERRORS.has(errcode)) {
        // Drop the token only if no one has replaced it meanwhile; then one refresh and one retry.
        if (this.cached?.token === token) this.cached = undefined;
        continue;
      }
      checkErrcode(api, body);
      return;
    }
  }

  /** One HTTP exchange with a timeout; the answer as a JSON object. Messages never carry the URL (it holds secrets). */
  private async call(api: string, url: string, init: RequestInit): Promise<Record<string, unknown>> {
    let response: Response;
    try {
      response = await this.fetch(url, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      const timedOut = err instanceof Error && err.name === 'TimeoutError';
      throw new HlError('HL_ERR_WECHAT_API', [api, timedOut ? `no answer within ${this.timeoutMs} ms` : 'network error'], { cause: err });
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new HlError('HL_ERR_WECHAT_API', [api, `HTTP ${response.status}`]);
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch (err) {
      const timedOut = err instanceof Error && err.name === 'TimeoutError';
      throw new HlError('HL_ERR_WECHAT_API', [api, timedOut ? `no answer within ${this.timeoutMs} ms` : 'the answer is not JSON'], {
        cause: err,
      });
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new HlError('HL_ERR_WECHAT_API', [api, 'the answer is not a JSON object']);
    }
    return body as Record<string, unknown>;
  }
}

function checkErrcode(api: string, body: Record<string, unknown>): void {
  const errcode = body.errcode ?? 0;
  if (errcode === 0) return;
  if (typeof errcode === 'number' && QUOTA_ERRORS.has(errcode)) throw new HlError('HL_ERR_WECHAT_QUOTA', [errcode]);
  const errmsg = typeof body.errmsg === 'string' ? ` (${body.errmsg.slice(0, 200)})` : '';
  throw new HlError('HL_ERR_WECHAT_API', [api, `errcode ${String(errcode)}${errmsg}`]);
}
