import type { Channel, Conversation, Handoff, Ticket, TranscriptEntry } from '../store/types.js';
import type { ConversationState } from './machine.js';

/** Where a queued session stands: 1-based position and the estimated wait (see estimate.ts). */
export interface Standing {
  position: number;
  estimatedWaitMs: number;
}

/** One waiting session, as agents see the queue. */
export interface QueueItem extends Standing {
  sessionId: string;
  channel: Channel;
  region: string | null;
  reason: string;
  lastUserText: string | null;
  /** How long it has been waiting since it (last) joined the queue. */
  waitingMs: number;
}

/** Why a session could not get a person: no agent online when it asked, the queue full, or it waited past the limit. */
export type UnavailableReason = 'no-agent' | 'queue-full' | 'wait-limit';

/** Why a chat went back to the queue: its agent released it, or disconnected (or the service restarted). */
export type RequeueReason = 'released' | 'disconnected';

/**
 * What the desk tells the user's channel. On `unavailable` the channel gives the hotline number and
 * offers a callback ticket; the bot is silent from `queued` until `returned`, `resolved`,
 * `cancelled` or `unavailable`. Each says what the event left of the conversation (its door, its city, its
 * state), so a listener reads nothing back (and a notification can travel to another instance whole).
 */
export type SessionNotification = {
  to: 'session';
  sessionId: string;
  channel: Channel;
  region: string | null;
  state: ConversationState;
} & (
  | ({ kind: 'queued'; handoffId: number } & Standing)
  | ({ kind: 'requeued'; reason: RequeueReason } & Standing)
  | ({ kind: 'position' } & Standing)
  | { kind: 'assigned'; agentId: string }
  | { kind: 'agent-message'; agentId: string; text: string; seq: number; at: number }
  | { kind: 'returned'; agentId: string }
  | { kind: 'resolved'; agentId: string; resolution: string }
  | { kind: 'unavailable'; reason: UnavailableReason }
  | { kind: 'cancelled' }
);

/** What the desk tells one agent: a chat assigned to them (with its transcript), or the user writing in it. */
export type AgentNotification = { to: 'agent'; agentId: string; sessionId: string } & (
  | { kind: 'assigned'; conversation: Conversation; handoff: Handoff; transcript: TranscriptEntry[] }
  | { kind: 'user-message'; text: string; seq: number; region: string | null }
  | { kind: 'entry'; entry: TranscriptEntry }
);

export type TicketChangeKind = 'created' | 'claimed' | 'released' | 'closed';

/** What the desk tells every agent: the queue changed (its front page, or its length), or a ticket did. */
export type AgentsNotification =
  | { to: 'agents'; kind: 'queue'; items: QueueItem[]; total: number }
  | { to: 'agents'; kind: 'ticket'; change: TicketChangeKind; ticket: Ticket };

export type Notification = SessionNotification | AgentNotification | AgentsNotification;

/** `remote`: another instance's run made it (issue 15); what only one instance may do (a WeChat message) is left to that one. */
export type Listener = (notification: Notification, remote: boolean) => void;
