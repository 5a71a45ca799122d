/**
 * JSON Schemas of what crosses the wire, shared by the HTTP routes (their OpenAPI document and serializer)
 * and the WebSocket frames (the AsyncAPI document). The TypeScript types stay the compiler's source; tests
 * check real responses and frames against these.
 */
export type JsonSchema = { [keyword: string]: unknown };

export const nullableString = { type: ['string', 'null'] } as const;

/** Every error: `{"error": {"code": "HL_ERR_…", "message": "…"}}` (README, Error codes). */
export const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', pattern: '^HL_ERR_[A-Z_]+$', description: 'stable error code (README, Error codes)' },
        message: { type: 'string', description: 'what went wrong, for a person' },
      },
    },
  },
} as const;

/** Where an answer comes from: a clause of a notice, with its exact words. */
export const citationSchema = {
  type: 'object',
  required: ['notice', 'clause', 'title', 'authority', 'docNumber', 'date', 'quote', 'url'],
  additionalProperties: false,
  properties: {
    notice: { type: 'string', description: 'the notice id (its file stem)' },
    clause: { type: 'string', description: 'the clause path inside the notice (五, 三.六, s3.四 …)' },
    title: nullableString,
    authority: nullableString,
    docNumber: nullableString,
    date: { ...nullableString, description: 'ISO date, as complete as known (2020-02-20, 2020-01)' },
    quote: { type: 'string', description: 'exact sentence(s) from the notice, as published' },
    readerQuote: { type: 'string', description: 'the quote in the asker’s script, when the notice is published in the other one' },
    url: { type: 'string', description: 'the clause on the notice page: /notices/<id>#<clause>' },
  },
} as const;

/** The reply to a question, on every channel (DESIGN.md). */
export const replySchema = {
  type: 'object',
  required: ['type', 'text', 'citations', 'intent', 'confidence', 'sessionId', 'suggestions'],
  additionalProperties: false,
  properties: {
    type: {
      type: 'string',
      enum: ['answer', 'clarify', 'handoff', 'fallback'],
      description:
        'answer: from the notices, cited; clarify: asks back (which city?); handoff: a person takes over; fallback: out of scope',
    },
    text: { type: 'string', description: 'reply shown to the user, plain text, Chinese' },
    citations: { type: 'array', items: citationSchema },
    intent: { type: 'string' },
    confidence: { type: 'number', minimum: 0, maximum: 1 },
    sessionId: { type: 'string' },
    suggestions: { type: 'array', items: { type: 'string' }, description: 'quick replies, e.g. the cities to choose from' },
    handoff: {
      type: 'object',
      required: ['reason'],
      properties: {
        reason: { type: 'string', description: 'requested, complaint, urgent, personal, not_covered, unanswered or repeated_failure' },
      },
      description: 'on a handoff reply: why a person is needed',
    },
    seq: { type: 'integer', description: 'the answer’s place in the conversation’s transcript: what feedback on it names' },
    script: {
      type: 'string',
      enum: ['simplified', 'traditional'],
      description: 'the asker’s script: the text and the sources’ titles follow it; quotes stay as published',
    },
  },
} as const;

/** A response that is not JSON (a page, a script, Prometheus text): documented by its media type. */
export const textResponse = (mediaType: string, description: string) => ({
  description,
  content: { [mediaType]: { schema: { type: 'string' } } },
});

const nullableText = { type: ['string', 'null'] } as const;

/** A citizen's verdict as operators list it (store type Feedback). */
export const feedbackSchema = {
  type: 'object',
  required: [
    'id',
    'sessionId',
    'channel',
    'kind',
    'target',
    'vote',
    'score',
    'reason',
    'comment',
    'notice',
    'clause',
    'intent',
    'agentId',
    'region',
    'at',
  ],
  properties: {
    id: { type: 'integer' },
    sessionId: { type: 'string' },
    channel: { type: 'string', enum: ['web', 'wechat', 'api'] },
    kind: { type: 'string', enum: ['answer', 'chat'], description: 'answer: 👍/👎 on a bot answer; chat: 1–5 on a chat with a person' },
    target: { type: 'integer', description: 'the answer’s transcript seq, or the handoff id of the chat' },
    vote: { type: ['string', 'null'], enum: ['up', 'down', null] },
    score: { type: ['integer', 'null'], description: '1 非常不满意 … 5 非常满意' },
    reason: { type: ['string', 'null'], enum: ['unanswered', 'wrong', 'unclear', 'other', null] },
    comment: nullableText,
    notice: nullableText,
    clause: nullableText,
    intent: nullableText,
    agentId: nullableText,
    region: nullableText,
    at: { type: 'integer', description: 'epoch ms' },
  },
} as const;
