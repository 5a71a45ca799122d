/**
 * The frames of `/ws/chat` as JSON Schemas, one per type: the client's (validated by `parseClientFrame`)
 * and the server's (documented; the tests check the frames a real chat sends). The AsyncAPI document at
 * /docs/asyncapi is built from these lists. A new client frame is one more entry in `chatClientFrames`
 * (and a case in chat.ts).
 */
import { CONVERSATION_STATES } from '../../handoff/machine.js';
import type { SessionNotification, UnavailableReason } from '../../handoff/notifications.js';
import { answerExample, EXAMPLE_SESSION, hotlineCitation } from '../examples.js';
import { type ClientFrameSpec, clientFrame, FRAME_ID, type FrameSpec, members, nonBlank, SESSION_ID, serverFrame } from '../frames.js';
import { citationSchema, replySchema } from '../schemas.js';

const RESUME_TOKEN = 'Kx1y0m0bq3N2nHn2aVx3h1cS0q3uJ7Q5d9QG3qk2bXc';

/** The frames a chat client sends, in the order the unknown-type error names them; texts up to `maxText`. */
export function chatClientFrames(maxText: number): ClientFrameSpec[] {
  return [
    clientFrame(
      'hello',
      {
        summary: 'Start or resume a conversation',
        description:
          'Optional: a message without it starts a new session. Resuming needs both the sessionId and the resumeToken the server gave in `ready`; with a wrong token a new session starts. `region` binds the chat to a city (the default when a question names none).',
        examples: [
          { type: 'hello', region: '大连' },
          { type: 'hello', sessionId: EXAMPLE_SESSION, resumeToken: RESUME_TOKEN },
        ],
      },
      {
        sessionId: { schema: SESSION_ID, whenBad: 'sessionId must be 1–128 letters, digits or _.:-' },
        resumeToken: { schema: { type: 'string', maxLength: 64 }, whenBad: 'resumeToken must be the string the server gave in ready' },
        region: {
          schema: { type: 'string', minLength: 1, maxLength: 40 },
          whenBad: 'region must be a non-empty string of at most 40 characters',
        },
      },
    ),
    clientFrame(
      'message',
      {
        summary: 'Ask a question',
        description: 'Answered by `typing` then `reply` (or `ack` while a person has the conversation or it waits for one).',
        examples: [{ type: 'message', id: 'm1', text: '大连异地就医备案怎么办理？' }],
      },
      {
        id: { schema: FRAME_ID, required: true, whenBad: 'message needs an id: a string of 1–64 characters' },
        text: { schema: nonBlank(maxText), required: true, whenBad: `text must be a non-blank string of at most ${maxText} characters` },
      },
    ),
    clientFrame('handoff', {
      summary: 'Ask for a person (the 转人工 button)',
      description: 'The handoff desk answers with `handoff` frames: queued with the place and estimated wait, assigned, or unavailable.',
      examples: [{ type: 'handoff' }],
    }),
    clientFrame('cancel', { summary: 'Stop waiting for a person', examples: [{ type: 'cancel' }] }),
    clientFrame(
      'ticket',
      {
        summary: 'Leave a callback request',
        description:
          'When nobody can take the chat. Answered by `ticket` with the ticket id; a phone that is neither a mainland mobile number nor a landline with area code gets `error` HL_ERR_BAD_PHONE.',
        examples: [{ type: 'ticket', id: 't1', phone: '13912345678', question: '异地就医备案后在外地住院，回来怎么报销？' }],
      },
      {
        phone: {
          schema: { type: 'string', minLength: 1, maxLength: 40 },
          required: true,
          whenBad: 'ticket needs a phone: a string of at most 40 characters',
        },
        question: {
          schema: nonBlank(maxText),
          required: true,
          whenBad: `ticket needs a question: a non-blank string of at most ${maxText} characters`,
        },
        id: { schema: FRAME_ID, dropWhenBad: true, whenBad: 'id must be 1–64 characters' },
      },
    ),
    clientFrame(
      'feedback',
      {
        summary: '好差评 on an answer: 👍 or 👎',
        description:
          'Names the answer by the `seq` its `reply` frame gave; a 👎 may say why (unanswered 没回答我的问题, wrong 信息不对, unclear 看不懂, other) and add a comment of up to 200 characters. Answered by `feedback`; once per answer (HL_ERR_FEEDBACK_EXISTS), an answer not in this conversation HL_ERR_FEEDBACK_TARGET.',
        examples: [
          { type: 'feedback', id: 'f1', seq: 42, vote: 'up' },
          { type: 'feedback', id: 'f2', seq: 43, vote: 'down', reason: 'wrong', comment: '电话打不通' },
        ],
      },
      {
        seq: {
          schema: { type: 'integer', minimum: 1 },
          required: true,
          whenBad: 'feedback needs the seq of the answer, as its reply gave it',
        },
        vote: { schema: { type: 'string', enum: ['up', 'down'] }, required: true, whenBad: 'vote must be up or down' },
        reason: {
          schema: { type: 'string', enum: ['unanswered', 'wrong', 'unclear', 'other'] },
          whenBad: 'reason must be unanswered, wrong, unclear or other',
        },
        comment: { schema: { type: 'string', maxLength: 400 }, whenBad: 'comment must be text of at most 200 characters' },
        id: { schema: FRAME_ID, dropWhenBad: true, whenBad: 'id must be 1–64 characters' },
      },
    ),
    clientFrame(
      'rating',
      {
        summary: 'Rate the chat with a person that ended: 1 非常不满意 … 5 非常满意',
        description:
          'Offered by a `handoff` frame with `offerRating` (events resolved, returned). Answered by `feedback`; once per chat (HL_ERR_FEEDBACK_EXISTS); before any chat with a person ended HL_ERR_FEEDBACK_TARGET.',
        examples: [{ type: 'rating', id: 'r1', score: 5, comment: '客服很耐心' }],
      },
      {
        score: { schema: { type: 'integer', minimum: 1, maximum: 5 }, required: true, whenBad: 'score must be a whole number from 1 to 5' },
        comment: { schema: { type: 'string', maxLength: 400 }, whenBad: 'comment must be text of at most 200 characters' },
        id: { schema: FRAME_ID, dropWhenBad: true, whenBad: 'id must be 1–64 characters' },
      },
    ),
    clientFrame('ping', { summary: 'Keep-alive; answered by pong', examples: [{ type: 'ping' }] }),
  ];
}

const state = { type: 'string', enum: [...CONVERSATION_STATES], description: 'the conversation’s state (README, Human handoff)' };
const replyTo = { type: 'string', description: 'the id of the client frame this answers' };
const HANDOFF_EVENTS = members<Exclude<SessionNotification['kind'], 'agent-message'>>()([
  'queued',
  'position',
  'requeued',
  'assigned',
  'returned',
  'resolved',
  'cancelled',
  'unavailable',
]);
const UNAVAILABLE = members<UnavailableReason>()(['no-agent', 'queue-full', 'wait-limit']);

/** The frames the chat server sends. */
export const chatServerFrames: FrameSpec[] = [
  serverFrame(
    'ready',
    {
      summary: 'The session: new, or resumed',
      description:
        'Sent on hello, or before the first answer when there was none. Keep sessionId and resumeToken to resume after a reconnect. On a resume, `history` holds the latest 50 transcript lines, and a `handoff` frame with event `resumed` follows when the conversation is queued or with an agent.',
      examples: [
        { type: 'ready', sessionId: EXAMPLE_SESSION, resumeToken: RESUME_TOKEN, state: 'bot' },
        {
          type: 'ready',
          sessionId: EXAMPLE_SESSION,
          resumeToken: RESUME_TOKEN,
          state: 'bot',
          history: [{ seq: 41, role: 'user', text: '大连异地就医备案怎么办理？', at: 1764756000000 }],
        },
      ],
    },
    {
      sessionId: { type: 'string' },
      resumeToken: { type: 'string' },
      state,
      history: {
        type: 'array',
        description: 'on a resume: the conversation as the citizen saw it',
        items: {
          type: 'object',
          required: ['seq', 'role', 'text', 'at'],
          additionalProperties: false,
          properties: {
            seq: { type: 'integer' },
            role: { type: 'string', enum: ['user', 'bot', 'agent', 'system'] },
            text: { type: 'string' },
            at: { type: 'integer', description: 'epoch ms' },
            reply: { ...replySchema, description: 'a bot line’s reply, as `reply` frames carry it' },
            agent: { type: 'object', required: ['name'], properties: { name: { type: 'string' } }, description: 'an agent line’s author' },
          },
        },
      },
    },
    ['sessionId', 'resumeToken', 'state'],
  ),
  serverFrame('typing', { summary: 'The assistant is working on an answer', examples: [{ type: 'typing' }] }),
  serverFrame(
    'reply',
    {
      summary: 'The assistant’s reply to a message',
      description: '`reply` is what `POST /api/ask` answers.',
      examples: [{ type: 'reply', replyTo: 'm1', reply: answerExample, seq: 42 }],
    },
    {
      replyTo,
      reply: replySchema,
      seq: { type: 'integer', description: 'the answer’s place in the transcript: what feedback on it names' },
    },
  ),
  serverFrame(
    'ack',
    {
      summary: 'Message received while a person has the conversation (or it waits for one): the bot stays silent',
      examples: [
        { type: 'ack', replyTo: 'm2', state: 'queued', text: '您的留言已记录，人工客服接入后会先看到它。您是下一位，预计等待约3分钟。' },
      ],
    },
    {
      replyTo,
      state,
      text: { type: 'string', description: 'what to tell the user: the message reached the person, or will be read first' },
    },
  ),
  serverFrame(
    'handoff',
    {
      summary: 'News from the handoff desk',
      description:
        'queued / position / requeued: the place in the queue and the estimated wait; assigned; returned (back with the bot); resolved; cancelled; unavailable: nobody can take the chat — the region’s hotline (cited) and offerTicket, with reason no-agent, wait-limit or queue-full (the last with code HL_ERR_QUEUE_FULL).',
      examples: [
        {
          type: 'handoff',
          state: 'queued',
          event: 'queued',
          text: '正在排队等待人工客服，您前面还有1位，预计等待约6分钟。',
          citations: [],
          position: 2,
          estimatedWaitMs: 360000,
        },
        {
          type: 'handoff',
          state: 'bot',
          event: 'unavailable',
          text: '目前没有人工客服在线。您可以拨打大连24小时医保热线83709222，也可以留下电话号码和问题，工作人员会给您回电。',
          citations: [hotlineCitation],
          offerTicket: true,
          reason: 'no-agent',
        },
      ],
    },
    {
      state,
      event: {
        type: 'string',
        enum: [...HANDOFF_EVENTS, 'resumed'],
        description: 'the desk’s event; resumed: where a resumed chat stands',
      },
      text: { type: 'string', description: 'what to show the user' },
      citations: { type: 'array', items: citationSchema },
      position: { type: 'integer', minimum: 1, description: 'place in the queue, 1 = next' },
      estimatedWaitMs: { type: 'integer', minimum: 0 },
      offerTicket: { type: 'boolean', description: 'show the callback form' },
      reason: { type: 'string', enum: [...UNAVAILABLE], description: 'why nobody can take the chat (event unavailable)' },
      code: { type: 'string', const: 'HL_ERR_QUEUE_FULL' },
      offerRating: { type: 'boolean', description: 'offer the 1–5 rating of the chat that just ended (resolved, returned)' },
    },
    ['state', 'event', 'text', 'citations'],
  ),
  serverFrame(
    'agent',
    {
      summary: 'A message from the agent who has the conversation',
      examples: [
        {
          type: 'agent',
          text: '您好，我是热线坐席小李。异地就医备案可以通过国家医保服务平台App办理。',
          seq: 7,
          agent: { name: '小李' },
          at: 1764756000000,
        },
      ],
    },
    {
      text: { type: 'string' },
      seq: { type: 'integer', description: 'the line’s number in the transcript' },
      agent: { type: 'object', required: ['name'], properties: { name: { type: 'string', description: 'the agent’s display name' } } },
      at: { type: 'integer', description: 'when it was written, epoch ms' },
    },
  ),
  serverFrame(
    'ticket',
    {
      summary: 'The callback ticket was created',
      examples: [{ type: 'ticket', id: 'T000123', text: '已为您登记回电请求，工单号 T000123。工作人员会尽快给您回电。', replyTo: 't1' }],
    },
    { id: { type: 'string', pattern: '^T\\d{6,}$' }, text: { type: 'string' }, replyTo },
    ['id', 'text'],
  ),
  serverFrame(
    'feedback',
    {
      summary: 'The verdict (好差评) was stored, with thanks to show',
      examples: [{ type: 'feedback', kind: 'answer', target: 42, vote: 'up', score: null, text: '感谢您的评价！', replyTo: 'f1' }],
    },
    {
      kind: { type: 'string', enum: ['answer', 'chat'] },
      target: { type: 'integer', description: 'the answer’s seq, or the chat’s handoff id' },
      vote: { type: ['string', 'null'], enum: ['up', 'down', null] },
      score: { type: ['integer', 'null'], minimum: 1, maximum: 5 },
      text: { type: 'string' },
      replyTo,
    },
    ['kind', 'target', 'vote', 'score', 'text'],
  ),
  serverFrame('pong', { summary: 'Answer to ping', examples: [{ type: 'pong' }] }),
  serverFrame(
    'error',
    {
      summary: 'A frame was refused; the connection stays usable',
      description:
        'HL_ERR_WS_BAD_FRAME (not a JSON object), HL_ERR_WS_UNKNOWN_TYPE, HL_ERR_WS_BAD_MESSAGE (a missing or bad field), HL_ERR_WS_RATE_LIMITED, HL_ERR_BAD_PHONE, HL_ERR_KB_NOT_READY … HL_ERR_UNAVAILABLE (the conversation store is down: nothing was kept) comes with `text`, what to tell the citizen: send again later, or the region’s hotline, cited.',
      examples: [
        {
          type: 'error',
          code: 'HL_ERR_WS_BAD_MESSAGE',
          message: 'text must be a non-blank string of at most 500 characters',
          replyTo: 'm3',
        },
      ],
    },
    {
      code: { type: 'string', pattern: '^HL_ERR_[A-Z_]+$' },
      message: { type: 'string' },
      replyTo,
      text: { type: 'string', description: 'for the citizen, in Chinese (HL_ERR_UNAVAILABLE)' },
      citations: { type: 'array', items: { type: 'object' } },
    },
    ['code', 'message'],
  ),
];
