/**
 * The frames of `/ws/agent` (the agents' console) as JSON Schemas, one per type: the console's (validated by
 * `parseAgentFrame`) and the server's (documented; the tests check the frames a real console session gets).
 * Any console frame may carry an `id`, echoed as an error's `replyTo`. The AsyncAPI document at
 * /docs/asyncapi is built from these lists; a new console frame is one more entry in `agentClientFrames`.
 */
import { answerExample, EXAMPLE_SESSION } from '../examples.js';
import { type ClientFrameSpec, clientFrame, type Field, FRAME_ID, type FrameSpec, nonBlank, SESSION_ID, serverFrame } from '../frames.js';
import { END_REASONS, entrySchema, PRESENCE, queueItemSchema, suggestionSchema } from './wire-schema.js';

const id: Field = { schema: FRAME_ID, dropWhenBad: true, whenBad: 'id must be 1–64 characters' };
const session = (type: string): Field => ({ schema: SESSION_ID, required: true, whenBad: `${type} needs a sessionId` });

/** A console frame that names a chat and nothing else. */
const aboutChat = (type: string, summary: string, description?: string) =>
  clientFrame(
    type,
    { summary, ...(description ? { description } : {}), examples: [{ type, sessionId: EXAMPLE_SESSION, id: `${type}-1` }] },
    { sessionId: session(type), id },
  );

/** The frames a console sends; texts up to `maxText`. */
export function agentClientFrames(maxText: number): ClientFrameSpec[] {
  return [
    clientFrame('ping', { summary: 'Keep-alive; answered by pong', examples: [{ type: 'ping' }] }, { id }),
    clientFrame(
      'presence',
      {
        summary: 'Online (takes chats from the queue) or away (takes none by itself, may still accept one)',
        examples: [{ type: 'presence', status: 'online' }],
      },
      { status: { schema: { type: 'string', enum: [...PRESENCE] }, required: true, whenBad: 'status must be online or away' }, id },
    ),
    aboutChat(
      'accept',
      'Take a waiting chat from the queue',
      'Answered by `chat` with its transcript; refused with HL_ERR_AGENT_BUSY at capacity.',
    ),
    aboutChat('transcript', 'Send a held chat’s transcript again (a `chat` frame)'),
    clientFrame(
      'message',
      {
        summary: 'Write to the user of a held chat',
        description: 'Every console of the agent gets it back as an `entry`.',
        examples: [
          {
            type: 'message',
            sessionId: EXAMPLE_SESSION,
            text: '您好，异地就医备案可以通过国家医保服务平台App办理，也可以拨打83709222咨询。',
            id: 'a7',
          },
        ],
      },
      {
        sessionId: session('message'),
        text: { schema: nonBlank(maxText), required: true, whenBad: `text must be a non-blank string of at most ${maxText} characters` },
        id,
      },
    ),
    aboutChat('return', 'Give the chat back to the bot'),
    aboutChat('release', 'Put the chat back at the front of the queue'),
    clientFrame(
      'close',
      {
        summary: 'End the chat with a resolution',
        examples: [{ type: 'close', sessionId: EXAMPLE_SESSION, resolution: '已解答：告知备案渠道和热线', id: 'c1' }],
      },
      {
        sessionId: session('close'),
        resolution: { schema: nonBlank(200), required: true, whenBad: 'close needs a resolution of 1–200 characters' },
        id,
      },
    ),
  ];
}

const sessionId = { type: 'string' };
const region = { type: ['string', 'null'] };
const userEntry = { seq: 3, role: 'user', text: '我要转人工，异地就医备案一直没办下来', at: 1_760_000_000_000 };

/** The frames the server sends to a console. */
export const agentServerFrames: FrameSpec[] = [
  serverFrame(
    'welcome',
    {
      summary: 'Signed in: who, capacity, presence, the server’s clock and the chats held',
      examples: [{ type: 'welcome', agent: 'alice', name: '王芳', capacity: 3, presence: 'online', now: 1_760_000_000_000, chats: [] }],
    },
    {
      agent: { type: 'string' },
      name: { type: 'string', description: 'the display name citizens see (AGENT_TOKENS id=名字:token; the id by default)' },
      capacity: { type: 'integer', minimum: 1 },
      presence: { type: 'string', enum: [...PRESENCE] },
      now: { type: 'integer', description: 'the server’s clock, epoch ms (for the waiting times)' },
      chats: { type: 'array', items: { type: 'string' }, description: 'session ids of the chats this agent holds' },
    },
  ),
  serverFrame(
    'queue',
    {
      summary: 'The front of the queue and how many wait in all',
      description: 'On connect, and whenever the front page (HANDOFF_QUEUE_PAGE) or the total changes.',
      examples: [
        {
          type: 'queue',
          items: [
            {
              sessionId: EXAMPLE_SESSION,
              region: '大连',
              reason: 'requested',
              queuedAt: 1_759_999_940_000,
              lastUserText: '我要转人工，异地就医备案一直没办下来',
              position: 1,
            },
          ],
          total: 1,
        },
      ],
    },
    { items: { type: 'array', items: queueItemSchema }, total: { type: 'integer', minimum: 0 } },
  ),
  serverFrame(
    'chat',
    {
      summary: 'A chat assigned to this agent, with its transcript',
      examples: [{ type: 'chat', sessionId: EXAMPLE_SESSION, region: '大连', transcript: [userEntry] }],
    },
    { sessionId, region, transcript: { type: 'array', items: entrySchema } },
  ),
  serverFrame(
    'user',
    {
      summary: 'The user wrote in a held chat; `suggestion` is the bot’s answer to it, cited (or null)',
      examples: [
        {
          type: 'user',
          sessionId: EXAMPLE_SESSION,
          entry: { ...userEntry, seq: 5, text: '大连异地就医备案怎么办理？' },
          suggestion: {
            text: answerExample.text,
            citations: answerExample.citations,
            intent: 'remote.filing',
            confidence: 0.31,
            region: '大连',
          },
        },
      ],
    },
    { sessionId, entry: entrySchema, suggestion: { anyOf: [suggestionSchema, { type: 'null' }] } },
  ),
  serverFrame(
    'entry',
    {
      summary: 'A line added to a held chat (the agent’s own message, from any of its consoles)',
      examples: [
        {
          type: 'entry',
          sessionId: EXAMPLE_SESSION,
          entry: { seq: 6, role: 'agent', text: '可以拨打24小时医保热线83709222咨询。', at: 1_760_000_060_000, agentId: 'alice' },
        },
      ],
    },
    { sessionId, entry: entrySchema },
  ),
  serverFrame(
    'ended',
    {
      summary: 'A held chat ended: resolved, returned to the bot, or released',
      examples: [{ type: 'ended', sessionId: EXAMPLE_SESSION, reason: 'resolved' }],
    },
    { sessionId, reason: { type: 'string', enum: [...END_REASONS] } },
  ),
  serverFrame('tickets', {
    summary: 'The callback tickets changed: fetch GET /api/agent/tickets again',
    examples: [{ type: 'tickets' }],
  }),
  serverFrame('pong', { summary: 'Answer to ping', examples: [{ type: 'pong' }] }),
  serverFrame(
    'error',
    {
      summary: 'A frame was refused; the connection stays usable',
      description:
        'HL_ERR_WS_BAD_FRAME, HL_ERR_WS_UNKNOWN_TYPE, HL_ERR_WS_BAD_MESSAGE, HL_ERR_WS_RATE_LIMITED, HL_ERR_AGENT_NOT_OWNER, HL_ERR_AGENT_BUSY, HL_ERR_BAD_TRANSITION …; `replyTo` is the refused frame’s id.',
      examples: [{ type: 'error', code: 'HL_ERR_AGENT_BUSY', message: 'Agent alice has no free capacity', replyTo: 'accept-1' }],
    },
    { code: { type: 'string', pattern: '^HL_ERR_[A-Z_]+$' }, message: { type: 'string' }, replyTo: { type: 'string' } },
    ['code', 'message'],
  ),
];
