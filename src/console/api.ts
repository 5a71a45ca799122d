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

/**
 * The agent HTTP routes, with `Authorization: Bearer <token>`. A 401 also calls `unauthorized` (the
 * console signs out) before the error is thrown to the caller.
 */
export class Api {
  constructor(
    private readonly token: () => string | null,
    private readonly unauthorized: (error: ApiError) => void,
  ) {}

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  /** A POST always carries a JSON body (`{}` when there is nothing to say). */
  post<T>(path: string, body: object = {}): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  private async request<T>(method: string, path: string, body?: object): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = this.token();
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(path, {
        method,
        headers,
        cache: 'no-store',
        credentials: 'same-origin',
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch {
      throw new ApiError('NETWORK', 'The server cannot be reached', 0);
    }
    let data: unknown = null;
    try {
      data = await response.json();
    } catch {
      // Not JSON: only the status says what happened.
    }
    if (!response.ok) {
      const e = isRecord(data) && isRecord(data.error) ? data.error : {};
      const error = new ApiError(
        typeof e.code === 'string' ? e.code : `HTTP_${response.status}`,
        typeof e.message === 'string' ? e.message : response.statusText,
        response.status,
      );
      if (response.status === 401) this.unauthorized(error);
      throw error;
    }
    return data as T;
  }
}
