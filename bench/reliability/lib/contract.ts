import { ERRORS } from '../../../src/errors.js';

/**
 * The error contract (README, Error codes): every error is `{"error":{"code":"HL_ERR_…","message":"…"}}`
 * with a code of the registry (`src/errors.ts`), at the status the registry gives it; a WebSocket error
 * frame is `{"type":"error","code","message","replyTo"?}` with a registry code.
 */
export type BodyVerdict = { ok: true; code: string } | { ok: false; why: string };

const isCode = (code: unknown): code is keyof typeof ERRORS => typeof code === 'string' && Object.hasOwn(ERRORS, code);

/** Whether an HTTP error body keeps the contract: exactly `{error: {code, message}}`, a registry code, a message. */
export function checkErrorBody(body: string): BodyVerdict {
  if (body.length === 0) return { ok: false, why: 'empty body' };
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { ok: false, why: `not JSON: ${JSON.stringify(body.slice(0, 80))}` };
  }
  if (!isPlainObject(value) || !sameKeys(value, ['error'])) return { ok: false, why: `not {error}: ${body.slice(0, 120)}` };
  const error = value.error;
  if (!isPlainObject(error) || !sameKeys(error, ['code', 'message']))
    return { ok: false, why: `not {error: {code, message}}: ${body.slice(0, 120)}` };
  if (!isCode(error.code)) return { ok: false, why: `code ${JSON.stringify(error.code)} is not in the registry` };
  if (typeof error.message !== 'string' || error.message.trim() === '') return { ok: false, why: 'blank message' };
  return { ok: true, code: error.code };
}

/**
 * An error answer as a client gets it: the contract's JSON, or — for a client that asked for HTML (a browser on a
 * notice page) — an HTML page that names its registry code (README: an unknown notice is a page for a browser).
 */
export function checkErrorAnswer(body: string, contentType: string | undefined): BodyVerdict {
  if (!contentType?.startsWith('text/html')) return checkErrorBody(body);
  const code = /HL_ERR_[A-Z_]+/.exec(body)?.[0];
  return isCode(code)
    ? { ok: true, code }
    : { ok: false, why: `an HTML error page naming no registry code: ${JSON.stringify(body.slice(0, 80))}` };
}

/** The status the registry gives a code (undefined for none). */
export function registryStatus(code: string): number | undefined {
  return isCode(code) ? ERRORS[code].status : undefined;
}

/** Whether a WebSocket error frame keeps the contract. */
export function checkErrorFrame(frame: Record<string, unknown>): BodyVerdict {
  const keys = Object.keys(frame).filter((k) => k !== 'replyTo');
  if (!sameKeys(Object.fromEntries(keys.map((k) => [k, 1])), ['type', 'code', 'message']))
    return { ok: false, why: `fields ${keys.join(',')}` };
  if (!isCode(frame.code)) return { ok: false, why: `code ${JSON.stringify(frame.code)} is not in the registry` };
  if (typeof frame.message !== 'string' || frame.message.trim() === '') return { ok: false, why: 'blank message' };
  return { ok: true, code: frame.code };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function sameKeys(o: Record<string, unknown>, keys: readonly string[]): boolean {
  const own = Object.keys(o);
  return own.length === keys.length && keys.every((k) => Object.hasOwn(o, k));
}
