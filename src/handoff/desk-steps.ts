import { HlError } from '../errors.js';
import type { Conversation, Handoff, HandoffPatch, Ticket } from '../store/types.js';
import { DeskBase } from './desk-base.js';
import type { RequeueReason, UnavailableReason } from './notifications.js';

/** The steps the desk's operations are made of: queueing, assigning, ending chats, changing tickets. */
export class DeskSteps extends DeskBase {
  protected dequeue(sessionId: string): void {
    this.line.leave(sessionId);
    this.announced.delete(sessionId);
    this.declined.delete(sessionId);
  }

  /** Puts the conversation in the queue as agents will see it; `origin` counts towards its per-address cap. */
  protected join(conv: Conversation, reason: string, end: 'back' | 'front', origin: string | null = null): void {
    const { sessionId, channel, region, lastUserText } = conv;
    this.line.join({ sessionId, channel, region, reason, lastUserText, queuedAt: conv.queuedAt ?? this.now(), origin }, end);
  }

  protected async endHandoff(sessionId: string, patch: HandoffPatch): Promise<Handoff | undefined> {
    const open = await this.tx.openHandoff(sessionId);
    return open && this.tx.updateHandoff(open.id, { ...patch, endedAt: this.now() });
  }

  protected async giveUp(conv: Conversation, reason: UnavailableReason): Promise<void> {
    const left = await this.move(conv, 'handoff.unavailable', {}, { reason });
    await this.endHandoff(conv.sessionId, { status: 'unavailable' });
    this.tell(left, { kind: 'unavailable', reason });
  }

  /** Queued sessions that have waited `waitLimitMs` become `unavailable`. */
  protected async expire(): Promise<void> {
    const at = this.now();
    const expired = [...this.line].filter((w) => at - w.queuedAt >= this.config.waitLimitMs);
    for (const { sessionId } of expired) {
      this.dequeue(sessionId);
      await this.giveUp(await this.conversationOf(sessionId), 'wait-limit');
    }
  }

  /** Gives waiting sessions, front first, to the least busy online agent with room (not one that released it). */
  protected async assignWaiting(): Promise<void> {
    await this.expire();
    let assigned = true;
    while (assigned && this.roster.pick() !== undefined) {
      assigned = false;
      for (const { sessionId } of this.line) {
        const agentId = this.roster.pick(this.declined.get(sessionId));
        if (agentId === undefined) continue;
        await this.assign(sessionId, agentId);
        assigned = true;
        break;
      }
    }
  }

  protected async assign(sessionId: string, agentId: string): Promise<void> {
    const at = this.now();
    const conv = await this.move(await this.conversationOf(sessionId), 'handoff.assigned', { agentId }, { agentId });
    const open = await this.tx.openHandoff(sessionId);
    if (!open) throw new HlError('HL_ERR_INTERNAL', [], { cause: new Error(`queued session ${sessionId} has no open handoff`) });
    const handoff = await this.tx.updateHandoff(open.id, { status: 'assigned', agentId, assignedAt: at });
    this.dequeue(sessionId);
    this.roster.attach(agentId, sessionId, at);
    this.tell(conv, { kind: 'assigned', agentId });
    const transcript = await this.tx.transcript(sessionId);
    this.emit({ to: 'agent', agentId, sessionId, kind: 'assigned', conversation: conv, handoff, transcript });
  }

  /** Ends the agent's chat; returns the conversation as it left it. */
  protected async finish(conv: Conversation, event: 'handoff.returned' | 'handoff.resolved', patch: HandoffPatch): Promise<Conversation> {
    const agentId = conv.agentId as string;
    const ended = await this.move(conv, event, { agentId: null }, { agentId });
    const handoff = await this.endHandoff(conv.sessionId, patch);
    if (handoff?.assignedAt != null) this.handleTimes.add(this.now() - handoff.assignedAt);
    this.roster.detach(agentId, conv.sessionId);
    return ended;
  }

  protected async requeue(conv: Conversation, reason: RequeueReason): Promise<void> {
    const agentId = conv.agentId;
    const queued = await this.move(conv, 'handoff.requeued', { agentId: null, queuedAt: this.now() }, { agentId, reason });
    const handoff = await this.tx.openHandoff(conv.sessionId);
    if (handoff) await this.tx.updateHandoff(handoff.id, { status: 'pending', agentId: null, assignedAt: null });
    if (agentId) {
      this.roster.detach(agentId, conv.sessionId);
      if (reason === 'released') this.declined.set(conv.sessionId, new Set([...(this.declined.get(conv.sessionId) ?? []), agentId]));
    }
    this.join(queued, handoff?.reason ?? 'requested', 'front');
    this.tell(queued, { kind: 'requeued', reason, ...this.announceStanding(conv.sessionId) });
  }

  protected async changeTicket(
    agentId: string,
    id: string,
    change: 'claimed' | 'released' | 'closed',
    apply: () => Promise<Ticket>,
  ): Promise<Ticket> {
    const before = await this.tx.getTicket(id);
    if (before?.status === 'claimed' && change !== 'claimed' && before.claimedBy !== agentId) {
      throw new HlError('HL_ERR_AGENT_NOT_OWNER', [agentId, id]);
    }
    const ticket = await apply();
    const event = `ticket.${change}` as const;
    const data = { ticketId: id, agentId };
    await this.tx.appendEvent({
      sessionId: ticket.sessionId,
      event,
      from: before?.status ?? 'open',
      to: ticket.status,
      at: this.now(),
      data,
    });
    this.emit({ to: 'agents', kind: 'ticket', change, ticket });
    return ticket;
  }
}
