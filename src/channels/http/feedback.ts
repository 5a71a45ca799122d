import type { FastifyPluginAsync } from 'fastify';
import type { Concierge } from '../../handoff/concierge.js';
import { COMMENT_MAX } from '../../handoff/feedback.js';
import type { Feedback } from '../../store/types.js';
import { errorSchema } from '../schemas.js';

export interface FeedbackOptions {
  concierge: Concierge;
}

const sessionId = { type: 'string', minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9_.:-]+$' } as const;
const comment = { type: 'string', maxLength: COMMENT_MAX * 2, description: `at most ${COMMENT_MAX} characters` } as const;

const answerBody = {
  type: 'object',
  required: ['sessionId', 'seq', 'vote'],
  additionalProperties: false,
  properties: {
    sessionId,
    seq: { type: 'integer', minimum: 1, description: 'the answer’s `seq`, as `POST /api/ask` gave it' },
    vote: { type: 'string', enum: ['up', 'down'] },
    reason: {
      type: 'string',
      enum: ['unanswered', 'wrong', 'unclear', 'other'],
      description: 'with `down`: 没回答我的问题, 信息不对, 看不懂, 其他',
    },
    comment,
  },
  examples: [{ sessionId: 'a1b2c3', seq: 42, vote: 'down', reason: 'wrong', comment: '电话打不通' }],
} as const;

const chatBody = {
  type: 'object',
  required: ['sessionId', 'score'],
  additionalProperties: false,
  properties: { sessionId, score: { type: 'integer', minimum: 1, maximum: 5, description: '1 非常不满意 … 5 非常满意' }, comment },
  examples: [{ sessionId: 'a1b2c3', score: 5, comment: '客服很耐心' }],
} as const;

const given = {
  201: {
    type: 'object',
    required: ['feedback'],
    properties: {
      feedback: {
        type: 'object',
        required: ['id', 'kind', 'target', 'vote', 'score', 'reason', 'comment', 'at'],
        properties: {
          id: { type: 'integer' },
          kind: { type: 'string', enum: ['answer', 'chat'] },
          target: { type: 'integer', description: 'the answer’s seq, or the chat’s handoff id' },
          vote: { type: ['string', 'null'] },
          score: { type: ['integer', 'null'] },
          reason: { type: ['string', 'null'] },
          comment: { type: ['string', 'null'] },
          at: { type: 'integer' },
        },
      },
    },
  },
  400: errorSchema,
  404: errorSchema,
  409: errorSchema,
} as const;

/** What a client is told of the verdict it gave. */
export function feedbackView(f: Feedback) {
  const { id, kind, target, vote, score, reason, comment, at } = f;
  return { id, kind, target, vote, score, reason, comment, at };
}

/**
 * 好差评 for `POST /api/ask` conversations: 👍/👎 on an answer (`POST /api/feedback`) and 1–5 on a chat with a
 * person once it ended (`POST /api/feedback/chat`); one each per answer or chat (409 HL_ERR_FEEDBACK_EXISTS).
 * The web chat and WeChat give the same through their own doors.
 */
export const feedbackRoutes: FastifyPluginAsync<FeedbackOptions> = async (app, { concierge }) => {
  app.post<{
    Body: { sessionId: string; seq: number; vote: 'up' | 'down'; reason?: 'unanswered' | 'wrong' | 'unclear' | 'other'; comment?: string };
  }>(
    '/api/feedback',
    {
      schema: {
        summary: 'Rate an answer (👍/👎)',
        description:
          '好差评 on one answer of a POST /api/ask conversation, once (409 HL_ERR_FEEDBACK_EXISTS the second time). Stored with the answer’s first source and intent and written to the transcript, where agents see it.',
        tags: ['citizens'],
        body: answerBody,
        response: given,
      },
    },
    async (request, reply) => {
      const { sessionId: sid, ...verdict } = request.body;
      const f = await concierge.answerFeedback(sid, 'api', verdict);
      return reply.code(201).send({ feedback: feedbackView(f) });
    },
  );
  app.post<{ Body: { sessionId: string; score: number; comment?: string } }>(
    '/api/feedback/chat',
    {
      schema: {
        summary: 'Rate a chat with a person (1–5)',
        description:
          'The rating of the conversation’s last chat with a person, once it ended (404 HL_ERR_FEEDBACK_TARGET before); once per chat.',
        tags: ['citizens'],
        body: chatBody,
        response: given,
      },
    },
    async (request, reply) => {
      const { sessionId: sid, ...rating } = request.body;
      const f = await concierge.rateChat(sid, 'api', rating);
      return reply.code(201).send({ feedback: feedbackView(f) });
    },
  );
};
