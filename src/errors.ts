/**
 * Every error code the service can emit, in one registry. README lists them all; a test keeps the two
 * in step. Core modules throw these; the HTTP layer maps them to `{ error: { code, message } }`.
 */
export const ERRORS = {
  HL_ERR_CONFIG_INVALID: { status: 500, message: 'Invalid configuration: %s' },
  HL_ERR_DATA_INVALID: { status: 500, message: 'Invalid data file %s: %s' },
  HL_ERR_NOTICE_EMPTY: { status: 422, message: 'Notice %s is empty' },
  HL_ERR_NOTICE_BINARY: { status: 422, message: 'Notice %s is not text (binary content)' },
  HL_ERR_NOTICE_ENCODING: { status: 422, message: 'Notice %s is neither UTF-8 nor GB18030/GBK text' },
  HL_ERR_NOTICE_UNREADABLE: { status: 422, message: 'Notice %s cannot be read: %s' },
  HL_ERR_SIDECAR_INVALID: { status: 422, message: 'Sidecar %s is invalid: %s' },
  HL_ERR_KB_EMPTY: { status: 500, message: 'No notice could be loaded, so the knowledge base was not replaced: %s' },
  HL_ERR_KB_NOT_READY: { status: 503, message: 'The knowledge base is not loaded yet' },
  HL_ERR_KB_RELOAD_FAILED: { status: 500, message: 'Building the knowledge base failed, so it was not replaced: %s' },
  HL_ERR_NOTICE_NOT_FOUND: { status: 404, message: 'No notice with id %s' },
  HL_ERR_ROUTE_NOT_FOUND: { status: 404, message: 'No route %s %s' },
  HL_ERR_BAD_REQUEST: { status: 400, message: 'Bad request: %s' },
  HL_ERR_BODY_TOO_LARGE: { status: 413, message: 'The request body is too large' },
  HL_ERR_URL_TOO_LONG: { status: 414, message: 'A part of the URL is too long' },
  HL_ERR_UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Unsupported content type: %s' },
  HL_ERR_REQUEST_TIMEOUT: { status: 408, message: 'The request was not received in time' },
  HL_ERR_EXPECTATION_FAILED: { status: 417, message: 'Expect: %s is not supported (only 100-continue)' },
  HL_ERR_HEADERS_TOO_LARGE: { status: 431, message: 'The request headers are too large' },
  HL_ERR_RATE_LIMITED: { status: 429, message: 'Too many requests; retry in %s' },
  HL_ERR_UNAUTHORIZED: { status: 401, message: 'A valid admin token is required' },
  HL_ERR_ADMIN_DISABLED: { status: 404, message: 'The admin routes are off: no ADMIN_TOKEN is configured' },
  HL_ERR_UPGRADE_REQUIRED: { status: 426, message: 'This route takes a WebSocket upgrade' },
  HL_ERR_WS_BAD_HANDSHAKE: { status: 400, message: 'The WebSocket handshake is invalid: %s' },
  HL_ERR_WS_BAD_FRAME: { status: 400, message: 'The frame is not a JSON object' },
  HL_ERR_WS_BAD_MESSAGE: { status: 400, message: 'The frame has a missing or invalid field' },
  HL_ERR_WS_UNKNOWN_TYPE: { status: 400, message: 'Unknown frame type' },
  HL_ERR_WS_RATE_LIMITED: { status: 429, message: 'Too many messages' },
  HL_ERR_WIDGET_MISSING: { status: 503, message: 'A browser script (chat widget or agents’ console) is not built (%s); run npm run build' },
  HL_ERR_BAD_TRANSITION: { status: 409, message: 'A %s in state %s cannot take the event %s' },
  HL_ERR_SESSION_NOT_FOUND: { status: 404, message: 'No conversation %s' },
  HL_ERR_AGENT_UNKNOWN: { status: 404, message: 'No agent %s is registered' },
  HL_ERR_AGENT_NOT_OWNER: { status: 403, message: 'Agent %s does not hold %s' },
  HL_ERR_QUEUE_FULL: { status: 503, message: 'The queue for a person is full: call the hotline or leave a callback request' },
  HL_ERR_AGENT_BUSY: { status: 409, message: 'Agent %s has no free capacity' },
  HL_ERR_BAD_PHONE: { status: 400, message: 'The phone number is neither a mainland mobile number nor a landline with area code' },
  HL_ERR_BAD_TICKET: { status: 400, message: 'Bad ticket: %s' },
  HL_ERR_TICKET_NOT_FOUND: { status: 404, message: 'No ticket with id %s' },
  HL_ERR_AGENT_UNAUTHORIZED: { status: 401, message: 'A valid agent token is required' },
  HL_ERR_AGENTS_DISABLED: { status: 404, message: 'The agent routes are off: no AGENT_TOKENS configured' },
  HL_ERR_WECHAT_SIGNATURE: { status: 401, message: 'The WeChat signature does not match' },
  HL_ERR_WECHAT_STALE: { status: 401, message: 'The WeChat timestamp is outside the accepted window' },
  HL_ERR_WECHAT_DECRYPT: { status: 400, message: 'The encrypted WeChat message cannot be decrypted' },
  HL_ERR_WECHAT_XML_FORBIDDEN: { status: 400, message: 'The WeChat XML contains a DOCTYPE or ENTITY declaration' },
  HL_ERR_WECHAT_XML_MALFORMED: { status: 400, message: 'The WeChat XML is malformed: %s' },
  HL_ERR_WECHAT_QUOTA: { status: 429, message: 'WeChat takes no more customer-service messages for this user now (errcode %s)' },
  HL_ERR_WECHAT_API: { status: 502, message: 'The WeChat API call %s failed: %s' },
  HL_ERR_SESSION_CHANNEL: { status: 409, message: 'Conversation %s belongs to another channel' },
  HL_ERR_BAD_FEEDBACK: { status: 400, message: 'Bad feedback: %s' },
  HL_ERR_FEEDBACK_TARGET: { status: 404, message: 'Nothing to give feedback on: %s' },
  HL_ERR_FEEDBACK_EXISTS: { status: 409, message: 'Feedback on this was already given' },
  HL_ERR_UNAVAILABLE: {
    status: 503,
    message:
      'Conversations cannot be kept right now (%s unavailable); nothing of this message was kept: send it again in a moment, or call the hotline',
  },
  HL_ERR_UPSTREAM_UNAVAILABLE: { status: 502, message: 'No instance of the service is answering; try again shortly' },
  HL_ERR_OPS_DISABLED: { status: 404, message: 'The operators’ desk is off: no OPERATOR_TOKENS configured' },
  HL_ERR_OPS_UNAUTHORIZED: { status: 401, message: 'A valid operator token is required' },
  HL_ERR_SET_NOT_FOUND: { status: 404, message: 'No exported labelled set named %s' },
  HL_ERR_BAD_SET: { status: 400, message: 'The labelled set cannot be exported: %s' },
  HL_ERR_INTERNAL: { status: 500, message: 'Internal error' },
  HL_ERR_STAGED_INVALID: { status: 400, message: 'The staged file %s is refused: %s' },
  HL_ERR_STAGED_NOT_FOUND: { status: 404, message: 'No staged file %s' },
  HL_ERR_NOTHING_STAGED: { status: 409, message: 'Nothing is staged: upload a notice or a sidecar first' },
  HL_ERR_STAGED_CHANGED: {
    status: 409,
    message: 'The staged files changed since the preview %s (now %s): preview them again before publishing',
  },
  HL_ERR_EVAL_BELOW_FLOOR: {
    status: 409,
    message: 'The staged knowledge base passes %s of the labelled items (live: %s), below the floor of %s: confirm to publish anyway',
  },
  HL_ERR_PUBLISH_FAILED: { status: 500, message: 'Publishing failed, so the previous notices were put back: %s' },
  HL_ERR_NOTHING_TO_ROLL_BACK: { status: 409, message: 'There is no publish left to roll back' },
  HL_ERR_ROLLBACK_FAILED: { status: 500, message: 'Rolling back %s failed, so the notices were left as they were: %s' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

/** A failure with a stable code, an HTTP status and a message a person can read. */
export class HlError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;

  constructor(code: ErrorCode, args: readonly (string | number)[] = [], options?: { cause?: unknown }) {
    let i = 0;
    const message = ERRORS[code].message.replace(/%s/g, () => String(args[i++] ?? ''));
    super(message, options);
    this.name = 'HlError';
    this.code = code;
    this.statusCode = ERRORS[code].status;
  }
}

export function isHlError(err: unknown): err is HlError {
  return err instanceof HlError;
}
