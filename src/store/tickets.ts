import { HlError } from '../errors.js';
import { type TicketEvent, ticketTransition } from '../handoff/machine.js';
import type { Ticket } from './types.js';

/** `T` and the sequence zero-padded to six digits: 123 → `T000123` (longer once past 999999). */
export function ticketId(seq: number): string {
  return `T${String(seq).padStart(6, '0')}`;
}

/** The sequence behind a ticket id, or undefined when `id` is not one. */
export function ticketSeq(id: string): number | undefined {
  const m = /^T(\d{6,})$/.exec(id);
  return m ? Number(m[1]) : undefined;
}

export type TicketChange =
  | { event: 'ticket.claimed'; agentId: string }
  | { event: 'ticket.released' }
  | { event: 'ticket.closed'; resolution: string };

/**
 * The ticket after `change`, checked against the ticket table: HL_ERR_TICKET_NOT_FOUND when there is no
 * ticket, HL_ERR_BAD_TRANSITION when its status does not take the event. Both stores apply changes
 * through this, inside a transaction.
 */
export function applyTicketChange(ticket: Ticket | undefined, id: string, change: TicketChange, at: number): Ticket {
  if (!ticket) throw new HlError('HL_ERR_TICKET_NOT_FOUND', [id]);
  const status = ticketTransition(ticket.status, change.event satisfies TicketEvent);
  const next: Ticket = { ...ticket, status, updatedAt: at };
  if (change.event === 'ticket.claimed') next.claimedBy = change.agentId;
  if (change.event === 'ticket.released') next.claimedBy = null;
  if (change.event === 'ticket.closed') next.resolution = change.resolution;
  return next;
}
