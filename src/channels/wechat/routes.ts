import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { WechatConfig } from '../../config.js';
import { HlError, isHlError } from '../../errors.js';
import type { Concierge } from '../../handoff/concierge.js';
import type { Hub } from '../../handoff/hub.js';
import type { KnowledgeStore } from '../../kb/store.js';
import type { Metrics } from '../metrics.js';
import { errorSchema, textResponse } from '../schemas.js';
import { answerPush, type WechatAnswer } from './answer.js';
import { type KeySlot, verifyMsgSignature, verifySignature, WechatCrypto } from './crypto.js';
import { CustomerServiceClient } from './cs-client.js';
import { LocalPushOnce, type PushOnce } from './once.js';
import { parseEnvelope, parseMessage, textReply, transferReply, type WechatMessage } from './xml.js';

export interface WechatOptions {
  config: WechatConfig;
  knowledge: KnowledgeStore;
  concierge: Concierge;
  hub: Hub;
  metrics: Metrics;
  publicBaseUrl: string | null;
  now: () => number;
  /** Each push answered once across retries (across instances, with Redis); in this process when not given. */
  once?: PushOnce;
}

/** Real pushes are a few KB. */
export const WECHAT_BODY_LIMIT = 256 * 1024;

interface Query {
  signature?: string;
  timestamp?: string;
  nonce?: string;
  echostr?: string;
  encrypt_type?: string;
  msg_signature?: string;
}

/**
 * `GET /wechat` (URL verification) and `POST /wechat` (message push: plaintext, compatible and safe
 * modes). Signature and timestamp are checked before the body is parsed; a push is answered within
 * WECHAT_REPLY_BUDGET_MS as a passive reply, or with `success` and later through the customer-service API.
 * Retries (same sender and MsgId, or same sender+time+event for events) never run a question twice.
 */
export const wechatRoutes: FastifyPluginAsync<WechatOptions> = async (app, options) => {
  const { config, now } = options;
  const crypto = config.encodingAesKey
    ? new WechatCrypto({
        encodingAesKey: config.encodingAesKey,
        appId: config.appId,
        ...(config.previousEncodingAesKey ? { previousEncodingAesKey: config.previousEncodingAesKey } : {}),
      })
    : null;
  const cs = config.appSecret
    ? new CustomerServiceClient({ baseUrl: config.apiBase, appId: config.appId, appSecret: config.appSecret, now })
    : null;
  const log = app.log.child({ channel: 'wechat' });
  const once = options.once ?? new LocalPushOnce(config.replyBudgetMs, log);
  /** Sessions whose push is being answered right now, and how many of their pushes are (a turn waits for its commit). */
  const answering = new Map<string, number>();

  const send = (openid: string, text: string, sessionId: string) => {
    if (!cs) return log.warn('a WeChat message could not be sent: no WECHAT_APP_SECRET for the customer-service API');
    cs.sendText(openid, text).catch((err: unknown) => {
      log.warn({ err }, 'customer-service message failed');
      if (isHlError(err) && err.code === 'HL_ERR_WECHAT_QUOTA') {
        options.concierge.desk
          .record({
            sessionId,
            role: 'system',
            text: '微信客服消息额度已用完（48小时内每条用户消息最多5条）：此条未送达，请等用户再发消息，或改用电话回访。',
          })
          .catch((err: unknown) => log.error({ err }, 'the undelivered message could not be noted'));
      }
    });
  };

  // What the desk says to a WeChat follower (an agent's message, the queue, back to the bot …) goes out
  // through the customer-service API; position updates are left out to spare the 5-message quota.
  options.hub.channel('wechat', (n) => {
    // News that comes while the follower's own message is being answered (queued, an agent took it at once,
    // nobody online) is already in that answer.
    if (n.kind === 'position' || answering.has(n.sessionId)) return;
    const openid = n.sessionId.startsWith('wx:') ? n.sessionId.slice(3) : null;
    if (!openid) return;
    const line = n.kind === 'agent-message' ? { text: n.text } : options.concierge.describe(options.knowledge.current, n);
    if (line) send(openid, line.text, n.sessionId);
  });

  app.addContentTypeParser(['text/xml', 'application/xml'], { parseAs: 'string', bodyLimit: WECHAT_BODY_LIMIT }, (_req, body, done) =>
    done(null, body),
  );

  const checkSigned = (q: Query) => {
    const ts = Number(q.timestamp);
    if (!q.timestamp || !/^\d{1,12}$/.test(q.timestamp) || !q.nonce) throw new HlError('HL_ERR_WECHAT_SIGNATURE');
    if (!verifySignature(config.token, q.timestamp, q.nonce, q.signature)) throw new HlError('HL_ERR_WECHAT_SIGNATURE');
    if (Math.abs(now() / 1000 - ts) > config.timestampWindowS) throw new HlError('HL_ERR_WECHAT_STALE');
  };

  const param = (description: string) => ({ type: 'string', maxLength: 512, description });
  const querySchema = {
    type: 'object',
    properties: {
      signature: param('SHA-1 of the sorted token, timestamp and nonce'),
      timestamp: param('seconds since the epoch; outside WECHAT_TIMESTAMP_WINDOW_S → 401 HL_ERR_WECHAT_STALE'),
      nonce: param('a random string'),
      echostr: param('URL verification: sent back verbatim when the signature matches'),
      encrypt_type: param('`aes` in safe and compatible mode'),
      msg_signature: param('safe mode: SHA-1 over the token, timestamp, nonce and Encrypt'),
      openid: param('the follower'),
    },
  };
  const wechat = { tags: ['wechat'] };
  const push = `<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName><FromUserName><![CDATA[oUpF8uMuAJO_M2pxb1Q9zNjWeS6o]]></FromUserName><CreateTime>1760000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[大连异地就医备案怎么办理？]]></Content><MsgId>24519785371234567</MsgId></xml>`;
  const xmlBody = {
    type: 'string',
    description: 'the message WeChat pushes (in safe mode: `<xml><Encrypt>…</Encrypt></xml>`)',
    examples: [push],
  };

  app.get<{ Querystring: Query }>(
    '/wechat',
    {
      schema: {
        summary: 'WeChat URL verification',
        description:
          'WeChat checks the server URL: `echostr` comes back verbatim when `signature` matches (401 HL_ERR_WECHAT_SIGNATURE otherwise).',
        ...wechat,
        querystring: querySchema,
        response: { 200: textResponse('text/plain', 'the echostr'), 401: errorSchema },
      },
    },
    async (request, reply) => {
      checkSigned(request.query);
      return reply.type('text/plain; charset=utf-8').send(request.query.echostr ?? '');
    },
  );

  const respond = (reply: FastifyReply, m: WechatMessage, answer: WechatAnswer, q: Query, key: KeySlot | null) => {
    if (answer.kind === 'none') return reply.type('text/plain; charset=utf-8').send('success');
    const address = { to: m.fromUserName, from: m.toUserName, createTime: Math.floor(now() / 1000) };
    const xml = answer.kind === 'transfer' ? transferReply(address) : textReply({ ...address, content: answer.text });
    const body =
      crypto && key ? crypto.encryptedReply(xml, { timestamp: address.createTime, nonce: q.nonce ?? '', token: config.token, key }) : xml;
    return reply.type('application/xml; charset=utf-8').send(body);
  };

  app.post<{ Querystring: Query; Body: string }>(
    '/wechat',
    {
      schema: {
        summary: 'WeChat message push',
        description:
          'A follower’s message or event, signed (and in safe mode encrypted); the signature and timestamp are checked before the body is read. Answered within WECHAT_REPLY_BUDGET_MS with a passive reply (XML), else `success` and the answer through the customer-service API.',
        ...wechat,
        querystring: querySchema,
        body: { content: { 'text/xml': { schema: xmlBody }, 'application/xml': { schema: xmlBody } } },
        response: {
          200: {
            description: 'a passive reply, or `success`',
            content: { 'application/xml': { schema: { type: 'string' } }, 'text/plain': { schema: { type: 'string', const: 'success' } } },
          },
          400: errorSchema,
          401: errorSchema,
          413: errorSchema,
          415: errorSchema,
        },
      },
      bodyLimit: WECHAT_BODY_LIMIT,
      // The signature and timestamp are checked before the body is read, let alone parsed (issue 12: an unsigned
      // 300 KB push got 413, an unsigned JSON one was parsed before it was refused).
      onRequest: async (request) => {
        const q = request.query as Record<string, unknown>;
        if (['signature', 'timestamp', 'nonce'].some((k) => q[k] !== undefined && typeof q[k] !== 'string'))
          throw new HlError('HL_ERR_WECHAT_SIGNATURE');
        checkSigned(q as Query);
      },
    },
    async (request, reply) => {
      const q = request.query;
      checkSigned(q);
      if (typeof request.body !== 'string') throw new HlError('HL_ERR_UNSUPPORTED_MEDIA_TYPE', [String(request.headers['content-type'])]);
      let m: WechatMessage;
      let key: KeySlot | null = null;
      if (q.encrypt_type === 'aes') {
        if (!crypto) throw new HlError('HL_ERR_WECHAT_DECRYPT');
        const envelope = parseEnvelope(request.body);
        if (!verifyMsgSignature(config.token, q.timestamp ?? '', q.nonce ?? '', envelope.encrypt, q.msg_signature)) {
          throw new HlError('HL_ERR_WECHAT_SIGNATURE');
        }
        const opened = crypto.decrypt(envelope.encrypt);
        m = parseMessage(opened.xml);
        key = opened.key;
        if (m.toUserName !== envelope.toUserName) throw new HlError('HL_ERR_WECHAT_DECRYPT');
      } else {
        m = parseMessage(request.body);
      }

      // A retry is the same message of the same follower: MsgIds are not unique across followers (issue 12).
      const id = m.msgId ? `${m.fromUserName}|${m.msgId}` : `${m.fromUserName}|${m.createTime}|${m.event ?? ''}|${m.eventKey ?? ''}`;
      const sessionId = `wx:${m.fromUserName}`;
      const compute = () =>
        options.knowledge.loaded().then(async (kb) => {
          answering.set(sessionId, (answering.get(sessionId) ?? 0) + 1);
          let a: WechatAnswer;
          try {
            a = await answerPush(m, { kb, concierge: options.concierge, config, publicBaseUrl: options.publicBaseUrl });
          } finally {
            const left = (answering.get(sessionId) ?? 1) - 1;
            if (left > 0) answering.set(sessionId, left);
            else answering.delete(sessionId);
          }
          options.metrics.wechat.inc({ kind: a.kind });
          return a;
        });
      // Not ready in time: `success` now, the answer through the customer-service API when it is (once).
      const late = (a: WechatAnswer) => (a.kind === 'text' ? send(m.fromUserName, a.text, sessionId) : undefined);
      const outcome = await once.answer(id, compute, late);
      return respond(reply, m, outcome === 'late' ? { kind: 'none' } : outcome, q, key);
    },
  );
};
