import { describeError } from './labels.js';
import { isRecord } from './protocol.js';

/** A failed agent HTTP call: the server's HL_ERR_* code (or NETWORK / HTTP_<status>) and its message. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** What to show for any failure, with its code. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) return describeError(error.code, error.message);
  return describeError('INTERNAL', error instanceof Error ? error.message : String(error));
}

type Body = { json: object } | { bytes: ArrayBuffer } | undefined;

/**
 * The signed-in HTTP routes (the agents' console's, the operators' desk's) with `Authorization: Bearer <token>`.
 * A 401 also calls `unauthorized` (the page signs out) before the error reaches the caller.
 */
export class Api {
  constructor(
    private readonly token: () => string | null,
    private readonly unauthorized: (error: ApiError) => void,
  ) {}

  get<T>(path: string): Promise<T> {
    return this.json<T>('GET', path);
  }

  /** A POST always carries a JSON body (`{}` when there is nothing to say). */
  post<T>(path: string, body: object = {}): Promise<T> {
    return this.json<T>('POST', path, { json: body });
  }

  /** A file's bytes exactly as read (a notice may be GBK: nothing is decoded here). */
  put<T>(path: string, bytes: ArrayBuffer): Promise<T> {
    return this.json<T>('PUT', path, { bytes });
  }

  async delete(path: string): Promise<void> {
    await this.send('DELETE', path, undefined);
  }

  /** A file the server sends as an attachment (an exported set), as text. */
  async text(path: string): Promise<string> {
    return (await this.send('GET', path, undefined)).text();
  }

  private async json<T>(method: string, path: string, body?: Body): Promise<T> {
    const response = await this.send(method, path, body);
    return (response.status === 204 ? null : await response.json()) as T;
  }

  private async send(method: string, path: string, body: Body): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = this.token();
    if (token) headers.authorization = `Bearer ${token}`;
    let payload: BodyInit | undefined;
    if (body && 'json' in body) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body.json);
    } else if (body) {
      headers['content-type'] = 'application/octet-stream';
      payload = body.bytes;
    }
    let response: Response;
    try {
      response = await fetch(path, { method, headers, cache: 'no-store', credentials: 'same-origin', body: payload });
    } catch {
      throw new ApiError('NETWORK', 'The server cannot be reached', 0);
    }
    if (response.ok) return response;
    let data: unknown = null;
    try {
      data = await response.json();
    } catch {
      // Not JSON: only the status says what happened.
    }
    const e = isRecord(data) && isRecord(data.error) ? data.error : {};
    const error = new ApiError(
      typeof e.code === 'string' ? e.code : `HTTP_${response.status}`,
      typeof e.message === 'string' ? e.message : response.statusText,
      response.status,
    );
    if (response.status === 401) this.unauthorized(error);
    throw error;
  }
}
