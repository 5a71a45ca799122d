import type { Assistant } from '../dialogue/assistant.js';
import { inScript, regionHotline } from '../dialogue/compose.js';
import type { Reply } from '../dialogue/reply.js';
import { stateJson, storedState } from '../dialogue/session.js';
import { HlError } from '../errors.js';
import { detectScript } from '../ingest/script.js';
import type { KnowledgeBase } from '../kb/knowledge-base.js';
import { feedbackMiss, turnMiss } from '../ops/misses.js';
import type { Channel, Feedback, Ticket } from '../store/types.js';
import type { CallbackInput } from './callback.js';
import type { DeskRun, HandoffDesk, RequestResult } from './desk.js';
import { type AnswerVerdict, answerFeedback, type ChatRating, chatRating } from './feedback.js';
import { botMaySpeak } from './machine.js';
import type { SessionNotification, Standing, UnavailableReason } from './notifications.js';

export interface Turn {
  sessionId: string;
  channel: Channel;
  text: string;
  region?: string;
  /** false: a handoff reply does not enter our queue (the channel hands over by itself: WeChat's own 客服). */
  queue?: boolean;
  /** The client's address, for the queue's per-address cap. */
  origin?: string;
  /**
   * false: where the handoff left the user (queued, an agent, nobody there) is not added to the reply, because
   * the channel shows the desk's notifications itself, after the reply (the web chat). Default true.
   */
  status?: boolean;
}

/**
 * What a user's message led to. `bot`: the assistant answered (`reply`; a handoff reply has also put the
 * session in the queue, `handoff` says where it stands). `waiting`: a person has the conversation or it is
 * queued for one, so the bot stays silent; `reply` is a status line for channels that must answer
 * something (HTTP, WeChat).
 */
export type Outcome =
  | { kind: 'bot'; reply: Reply; handoff: RequestResult | null /** The answer's transcript seq: what feedback names. */; seq: number }
  | { kind: 'waiting'; state: 'queued' | 'agent'; standing: Standing | null; reply: Reply };

const WHY_UNAVAILABLE: Readonly<Record<UnavailableReason, string>> = {
  'no-agent': '目前没有人工客服在线。',
  'queue-full': '当前排队等候人工客服的人数已满，暂时无法为您排队。',
  'wait-limit': '当前等待人数较多，暂时无法接入人工客服。',
};

/** OPS_LOW_CONFIDENCE's default: answers under it are recorded as misses. */
export const LOW_CONFIDENCE = 0.4;

const minutes = (ms: number) => Math.max(1, Math.round(ms / 60_000));

/** “第2位，预计等待约3分钟”. */
export function standingText(s: Standing): string {
  return s.position <= 1
    ? `您是下一位，预计等待约${minutes(s.estimatedWaitMs)}分钟。`
    : `您前面还有${s.position - 1}位，预计等待约${minutes(s.estimatedWaitMs)}分钟。`;
}

/**
 * Every channel's way into the assistant and the handoff desk: the user's message is recorded; while the
 * conversation is with a person (or waiting for one) the bot is silent, by the conversation's state;
 * otherwise the assistant answers, and a `handoff` reply puts the user in the queue (or, with no agent
 * online, gives the region's hotline and offers a callback ticket).
 */
export interface ConciergeOptions {
  /** A conversation's dialogue state idle this long is forgotten (SESSION_TTL_MS). */
  sessionTtlMs: number;
  /** The clock (epoch ms). */
  now: () => number;
  /** An answer under this confidence is recorded as a miss for the operators' desk (OPS_LOW_CONFIDENCE). */
  lowConfidence?: number;
}

/** A turn's reply as worked out from the state it remembered (JSON), kept across the turn's runs. */
interface Worked {
  state: string | null;
  answered: ReturnType<Assistant['answer']> | null;
}

export class Concierge {
  constructor(
    private readonly assistant: Assistant,
    readonly desk: HandoffDesk,
    private readonly options: ConciergeOptions = { sessionTtlMs: 30 * 60_000, now: Date.now },
  ) {}

  /**
   * One turn of a user, in one store transaction shared with the other turns of the same tick: the message, the
   * bot's reply (or silence) and what it remembers, a handoff. Resolves once it has committed, so the reply may be sent.
   */
  handle(kb: KnowledgeBase, turn: Turn): Promise<Outcome> {
    // A turn that finds it needs the queue is run again under the desk's exclusive lock (instances sharing the
    // desk): the reply worked out the first time, from the same remembered state, is not worked out again.
    const worked: Worked = { state: null, answered: null };
    return this.desk.grouped((run) => this.turn(run, kb, turn, worked));
  }

  private async turn(run: DeskRun, kb: KnowledgeBase, turn: Turn, worked: Worked): Promise<Outcome> {
    const { sessionId, channel, text } = turn;
    // The conversation and what the bot remembers of it, in one read.
    const { conversation: existing, session } = await run.load(sessionId);
    // A conversation is written to through the door it came in by: knowing a WeChat follower's or a web
    // chat's session id does not let an /api/ask client speak in it.
    if (existing && existing.channel !== channel) throw new HlError('HL_ERR_SESSION_CHANNEL', [sessionId]);
    const script = detectScript(text) === 'traditional' ? 'traditional' : 'simplified';
    const { state } = await run.record({ sessionId, role: 'user', text, channel, ...(turn.region ? { region: turn.region } : {}) });
    if (!botMaySpeak(state)) {
      const standing = run.standing(sessionId);
      const status =
        state === 'queued' && standing
          ? `您的留言已记录，人工客服接入后会先看到它。${standingText(standing)}`
          : '您的消息已转给人工客服，请稍候回复。';
      return {
        kind: 'waiting',
        state: state === 'queued' ? 'queued' : 'agent',
        standing,
        reply: statusReply(sessionId, inScript(status, script)),
      };
    }
    const before = storedState(session, this.options.now(), this.options.sessionTtlMs);
    const remembered = stateJson(before);
    if (worked.state !== remembered || !worked.answered) {
      worked.answered = this.assistant.answer(kb, { text, sessionId, ...(turn.region ? { region: turn.region } : {}) }, before);
      worked.state = remembered;
    }
    const answered = worked.answered;
    let reply = answered.reply;
    await run.putSession(sessionId, stateJson(answered.after));
    // Recorded before the handoff, so an agent who takes the chat at once sees it in the transcript.
    const { entry } = await run.record({
      sessionId,
      role: 'bot',
      text: reply.text,
      reply: botEntry(reply),
      ...(reply.region ? { region: reply.region } : {}),
    });
    // What the operators' desk shows: a question the assistant could not answer well, in the turn's own unit.
    await run.miss(() => turnMiss({ sessionId, channel, text, at: entry.at }, reply, this.options.lowConfidence ?? LOW_CONFIDENCE));
    let handoff: RequestResult | null = null;
    if (reply.type === 'handoff' && turn.queue !== false) {
      handoff = await run.request(sessionId, {
        reason: reply.handoff?.reason ?? 'requested',
        region: reply.region ?? turn.region ?? null,
        channel,
        lastUserText: text,
        origin: turn.origin ?? null,
      });
      const extra =
        turn.status === false
          ? { text: '', citations: [] }
          : this.afterRequest(kb, handoff, reply.region ?? turn.region ?? null, reply.citations.length > 0);
      if (extra.text)
        reply = { ...reply, text: `${reply.text}${inScript(extra.text, script)}`, citations: [...reply.citations, ...extra.citations] };
    }
    return { kind: 'bot', reply, handoff, seq: entry.seq };
  }

  /**
   * The 转人工 button: straight into the queue. Where the user stands (queued, with an agent, or nobody
   * online: the hotline and a ticket) reaches them as the desk's notification.
   */
  requestHuman(input: { sessionId: string; channel: Channel; region?: string; origin?: string }): Promise<RequestResult> {
    return this.desk.together(async (run) => {
      const region = input.region ?? (await run.conversation(input.sessionId))?.region ?? null;
      // Recorded first, so an agent who takes the chat at once sees why it came.
      await run.record({
        sessionId: input.sessionId,
        role: 'system',
        text: '用户点击“转人工”，请求人工服务。',
        channel: input.channel,
        region,
      });
      return run.request(input.sessionId, { reason: 'requested', region, channel: input.channel, origin: input.origin ?? null });
    });
  }

  cancel(sessionId: string): Promise<void> {
    return this.desk.together(async (run) => {
      await run.cancel(sessionId);
      await run.record({ sessionId, role: 'system', text: '用户取消了人工排队，回到智能助手。' });
    });
  }

  /**
   * 👍/👎 on one of the bot's answers in this conversation (HL_ERR_FEEDBACK_EXISTS the second time): stored with
   * the answer's source and intent, and written to the transcript so agents see it.
   */
  async answerFeedback(sessionId: string, channel: Channel, verdict: AnswerVerdict): Promise<Feedback> {
    const feedback = await this.desk.together(async (run) => {
      await this.sameDoor(run, sessionId, channel);
      const stored = await run.feedback((data, at) => answerFeedback(data, { sessionId, channel, at }, verdict));
      await run.miss((data) => feedbackMiss(data, stored));
      return stored;
    });
    this.onFeedback(feedback);
    return feedback;
  }

  /** Told of every verdict once it is stored, whatever the door (the app counts them in /metrics). */
  onFeedback: (feedback: Feedback) => void = () => {};

  /** 1–5 on the conversation's last chat with a person, once it has ended. */
  async rateChat(sessionId: string, channel: Channel, rating: ChatRating): Promise<Feedback> {
    const feedback = await this.desk.together(async (run) => {
      await this.sameDoor(run, sessionId, channel);
      const stored = await run.feedback((data, at) => chatRating(data, { sessionId, channel, at }, rating));
      await run.miss((data) => feedbackMiss(data, stored));
      return stored;
    });
    this.onFeedback(feedback);
    return feedback;
  }

  /** A conversation is written to through the door it came in by. */
  private async sameDoor(run: DeskRun, sessionId: string, channel: Channel): Promise<void> {
    const existing = await run.conversation(sessionId);
    if (existing && existing.channel !== channel) throw new HlError('HL_ERR_SESSION_CHANNEL', [sessionId]);
  }

  /** A callback request, also as the first thing a new session does. */
  leaveTicket(sessionId: string, channel: Channel, input: CallbackInput): Promise<Ticket> {
    return this.desk.together(async (run) => {
      if (!(await run.conversation(sessionId))) {
        await run.record({ sessionId, role: 'system', text: '用户直接留言回电。', channel, region: input.region ?? null });
      }
      const ticket = await run.createTicket(sessionId, input);
      await run.record({ sessionId, role: 'system', text: `用户留下回电请求，工单号 ${ticket.id}。` });
      return ticket;
    });
  }

  /** What the user is told when no one can take the chat: the region's hotline (cited) and the callback offer. */
  unavailable(kb: KnowledgeBase, region: string | null, reason: UnavailableReason): { text: string; citations: Reply['citations'] } {
    const hotline = region ? regionHotline(kb, region) : null;
    const why = WHY_UNAVAILABLE[reason];
    const leave = '留下电话号码和问题，工作人员会给您回电';
    return {
      text: hotline ? `${why}您可以拨打${region}${hotline.name}${hotline.fact.number}，也可以${leave}。` : `${why}您可以${leave}。`,
      citations: hotline ? [hotline.citation] : [],
    };
  }

  /**
   * What the user is told when their message could not be kept (HL_ERR_UNAVAILABLE: the store is down): nothing was
   * lost that they were told was received; send it again, or call the region's hotline (cited), never a hang.
   */
  outage(kb: KnowledgeBase | null, region: string | null): { text: string; citations: Reply['citations'] } {
    const hotline = kb && region ? regionHotline(kb, region) : null;
    const again = '系统暂时无法处理您的消息，请稍后再发一次';
    return {
      text: hotline ? `${again}；急事可拨打${region}${hotline.name}${hotline.fact.number}。` : `${again}；急事可拨打当地医保服务热线。`,
      citations: hotline ? [hotline.citation] : [],
    };
  }

  /** The line a session notification puts in the user's chat (web widget, WeChat). */
  describe(kb: KnowledgeBase | null, n: SessionNotification): { text: string; citations: Reply['citations'] } | null {
    switch (n.kind) {
      case 'queued':
      case 'position':
        return { text: `正在排队等待人工客服，${standingText(n)}`, citations: [] };
      case 'requeued':
        return { text: `人工客服暂时离开，已为您重新排队，${standingText(n)}`, citations: [] };
      case 'assigned':
        return { text: '人工客服已接入，请直接描述您的问题。', citations: [] };
      case 'agent-message':
        return { text: n.text, citations: [] };
      case 'returned':
        return { text: '人工客服已将对话转回智能助手，您可以继续提问。', citations: [] };
      case 'resolved':
        return { text: '本次人工服务已结束，感谢您的咨询。如有其他问题可以继续提问。', citations: [] };
      case 'cancelled':
        return { text: '已取消人工排队，您可以继续向智能助手提问。', citations: [] };
      case 'unavailable':
        return kb ? this.unavailable(kb, n.region, n.reason) : null;
    }
  }

  private afterRequest(
    kb: KnowledgeBase,
    result: RequestResult,
    region: string | null,
    hotlineGiven: boolean,
  ): { text: string; citations: Reply['citations'] } {
    if (result.state === 'queued' && result.position !== null && result.estimatedWaitMs !== null)
      return { text: standingText({ position: result.position, estimatedWaitMs: result.estimatedWaitMs }), citations: [] };
    if (result.state === 'agent') return { text: '人工客服已接入。', citations: [] };
    const reason = result.unavailable ?? 'no-agent';
    return hotlineGiven
      ? { text: `${WHY_UNAVAILABLE[reason]}您可以留下电话号码和问题，工作人员会给您回电。`, citations: [] }
      : this.unavailable(kb, region, reason);
  }
}

function statusReply(sessionId: string, text: string): Reply {
  return {
    type: 'handoff',
    text,
    citations: [],
    intent: 'handoff.waiting',
    confidence: 1,
    sessionId,
    suggestions: [],
    handoff: { reason: 'requested' },
  };
}

/** What the transcript keeps of a bot reply: everything an agent needs to see, not the session id nor the candidates. */
function botEntry(reply: Reply) {
  const { sessionId: _s, candidates: _c, ...rest } = reply;
  return rest;
}
