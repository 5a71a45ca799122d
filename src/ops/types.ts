/**
 * The operators' desk (issue 16): what the server records of the assistant's misses, and the shapes the
 * `/api/ops/*` routes answer with. Server and page both read these (the page imports types only).
 */

/** Why a turn was recorded as a miss. */
export type MissKind =
  /** A handoff because nothing in the notices answered (`unanswered`) or no notice covers the place (`not_covered`). */
  | 'handoff'
  /** An out-of-scope or unusable question got the fallback reply. */
  | 'fallback'
  /** An answer given with a confidence under the desk's floor (OPS_LOW_CONFIDENCE). */
  | 'low_confidence'
  /** A citizen's 👎 on an answer. */
  | 'down_vote'
  /** A citizen's rating below 满意 (1–3) of a chat with a person. */
  | 'low_rating';

/** One of the closest clauses retrieval found for the question, best first. */
export interface Candidate {
  notice: string;
  clause: string;
  /** The retrieval score (higher is closer) and the decision's confidence in it (0–1). */
  score: number;
  confidence: number;
}

/** A miss as stored: the citizen's words and the bot's reply redacted as the logs are (src/redact.ts). */
export interface Miss {
  /** Store-assigned. */
  id: number;
  kind: MissKind;
  sessionId: string;
  channel: 'web' | 'wechat' | 'api';
  /** The question (for a vote or a rating: the question the answer or the chat was about). */
  text: string;
  /** What the bot replied (a rating: the handoff's reason), redacted. */
  reply: string;
  replyType: 'answer' | 'clarify' | 'handoff' | 'fallback' | null;
  region: string | null;
  intent: string | null;
  /** The decision rule that fired (src/dialogue/types.ts RuleName), when a bot reply was involved. */
  rule: string | null;
  /** The answer's confidence, when there was one. */
  confidence: number | null;
  candidates: Candidate[];
  /** A vote's reason (unanswered, wrong, unclear, other) or a rating's score as text ('2'). */
  detail: string | null;
  /** A vote's or rating's comment, redacted. */
  comment: string | null;
  at: number;
}

export type NewMiss = Omit<Miss, 'id'>;

export interface MissFilter {
  /** Only these (an export names the misses of a group). */
  ids?: readonly number[];
  /** At or after (epoch ms). */
  since?: number;
  kind?: MissKind;
  region?: string;
  intent?: string;
  /** At most this many, newest first. */
  limit?: number;
}

/** Bot replies per day (Asia/Shanghai calendar day, `YYYY-MM-DD`), channel and reply type. */
export interface DailyReplies {
  day: string;
  channel: string;
  type: string;
  n: number;
}

/** Feedback per day: 👍/👎 on answers and 1–5 on chats. */
export interface DailyFeedback {
  day: string;
  up: number;
  down: number;
  ratings: number;
  /** Sum of the day's scores (the average is sum / ratings). */
  scoreSum: number;
  /** Ratings below 满意 (1–3). */
  low: number;
}

/** How misses are grouped on the desk. */
export type GroupBy = 'question' | 'region' | 'intent';

/** A group of misses: similar questions (jieba terms), or one region, or one intent. */
export interface MissGroup {
  /** Stable within one answer: `q:<terms>`, `r:<region>`, `i:<intent>`. */
  key: string;
  /** What the group is about, for people: its most telling terms (`异地 备案 材料`), the region or the intent. */
  label: string;
  terms: string[];
  count: number;
  /** Counts per day over the range asked for, oldest first, one per day in `GroupsResponse.days`. */
  perDay: number[];
  kinds: Partial<Record<MissKind, number>>;
  regions: Record<string, number>;
  intents: Record<string, number>;
  /** Up to five, newest first: what was asked and what the bot replied. */
  samples: Pick<Miss, 'id' | 'at' | 'kind' | 'text' | 'reply' | 'replyType' | 'region' | 'intent' | 'rule' | 'channel'>[];
  /** The clauses retrieval found closest across the group's misses, most often first (at most three). */
  clauses: { notice: string; clause: string; title: string | null; n: number; best: number }[];
  /** Every miss of the group (for the export). */
  ids: number[];
}

export interface GroupsResponse {
  days: string[];
  by: GroupBy;
  total: number;
  groups: MissGroup[];
}

/** What an operator expects of a group's questions when it is exported as a labelled set. */
export interface ExportExpect {
  type: ('answer' | 'clarify' | 'handoff' | 'fallback')[];
  notice?: string;
  include?: string[][];
  exclude?: string[];
}

export interface TrendsResponse {
  days: string[];
  /** Bot replies per channel, one count per day. */
  byChannel: { channel: string; counts: number[] }[];
  /** Bot replies per reply type, one count per day. */
  byType: { type: string; counts: number[] }[];
  /** The largest groups of unanswered questions (handoff and fallback misses), by similar question. */
  topUnanswered: { label: string; count: number }[];
  /** Per day: 👍, 👎, ratings, their average (null without any) and how many were below 满意. */
  feedback: { day: string; up: number; down: number; ratings: number; average: number | null; low: number }[];
}

/** A temporary notice with an end date. */
export interface NoticeExpiry {
  /** The notice's id (its file stem). */
  notice: string;
  title: string | null;
  region: string | null;
  /** The notice's date (ISO, as complete as known). */
  date: string | null;
  /** The day its measures end (ISO). */
  expires: string;
  /** Where the end date comes from: the notice's text (有效期至…), or a sidecar (anything the operators set). */
  source: 'text' | 'sidecar';
  /** Days from today to the end date: negative once it has passed, 0 on the day itself. */
  daysLeft: number;
}

/** A temporary notice that states no end date. */
export interface OpenNotice {
  notice: string;
  title: string | null;
  region: string | null;
  date: string | null;
  /** The words that make it temporary (疫情防控期间, 阶段性 …), or null when a sidecar says so. */
  temporary: string | null;
}

export interface NoticeExpiries {
  /** Ended before today, the most recently ended first. */
  expired: NoticeExpiry[];
  /** Ending within `soonDays` (today included), the soonest first. */
  soon: NoticeExpiry[];
  /** Temporary with no end date, by notice id. */
  open: OpenNotice[];
}

/** `GET /api/ops/expiry`: the notices by their end date, on `today` (Asia/Shanghai). */
export interface ExpiryResponse extends NoticeExpiries {
  today: string;
}
