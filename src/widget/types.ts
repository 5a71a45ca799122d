/** The wire shapes the widget reads from /ws/chat (README, "WebSocket chat"); fields it does not use are left out. */

export type Script = 'simplified' | 'traditional';

export interface Citation {
  notice: string;
  clause: string;
  title: string | null;
  date: string | null;
  /** As published. */
  quote: string;
  /** The quote in the asker's script, when the notice is published in the other one. */
  readerQuote?: string;
  url: string;
}

export interface Reply {
  type: 'answer' | 'clarify' | 'handoff' | 'fallback';
  text: string;
  citations: Citation[];
  suggestions: string[];
  /** The asker's script: the reply's labels follow it. */
  script?: Script;
}

export type ConversationState = 'bot' | 'queued' | 'agent' | 'ticket' | 'closed';

/** A transcript line sent again on resume (`ready.history`). */
export interface HistoryEntry {
  seq: number;
  role: 'user' | 'bot' | 'agent' | 'system';
  text: string;
  /** epoch ms */
  at: number;
  reply?: Reply;
  agent?: { name: string };
}

export interface HandoffFrame {
  type: 'handoff';
  state: ConversationState;
  event: string;
  text: string;
  citations?: Citation[];
  position?: number;
  estimatedWaitMs?: number;
  offerTicket?: boolean;
  reason?: string;
  code?: string;
  offerRating?: boolean;
}

export type ServerFrame =
  | { type: 'ready'; sessionId: string; resumeToken: string; state: ConversationState; history?: HistoryEntry[] }
  | { type: 'typing' }
  | { type: 'reply'; replyTo?: string; reply: Reply; seq?: number }
  | { type: 'ack'; replyTo: string; state: ConversationState; text: string }
  | HandoffFrame
  | { type: 'agent'; text: string; seq?: number; agent?: { name: string }; at?: number }
  | { type: 'ticket'; id: string; text: string; replyTo?: string }
  | { type: 'feedback'; kind: 'answer' | 'chat'; target: number; text: string; replyTo?: string }
  | { type: 'pong' }
  | { type: 'error'; code: string; message: string; replyTo?: string; text?: string; citations?: Citation[] };
