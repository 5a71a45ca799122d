import { describe, expect, it } from 'vitest';
import {
  botMaySpeak,
  CONVERSATION_EVENTS,
  CONVERSATION_MACHINE,
  CONVERSATION_STATES,
  canTicketTransition,
  canTransition,
  renderDiagram,
  TICKET_EVENTS,
  TICKET_MACHINE,
  TICKET_STATES,
  ticketTransition,
  transition,
} from '../../src/handoff/machine.js';

const EXPECTED_CONVERSATION = [
  ['bot', 'handoff.requested', 'queued'],
  ['queued', 'handoff.cancelled', 'bot'],
  ['queued', 'handoff.assigned', 'agent'],
  ['queued', 'handoff.unavailable', 'bot'],
  ['queued', 'ticket.created', 'ticket'],
  ['agent', 'handoff.requeued', 'queued'],
  ['agent', 'handoff.returned', 'bot'],
  ['agent', 'handoff.resolved', 'closed'],
  ['bot', 'ticket.created', 'ticket'],
  ['closed', 'conversation.resumed', 'bot'],
  ['ticket', 'conversation.resumed', 'bot'],
] as const;

const EXPECTED_TICKET = [
  ['open', 'ticket.claimed', 'claimed'],
  ['claimed', 'ticket.released', 'open'],
  ['claimed', 'ticket.closed', 'closed'],
  ['open', 'ticket.closed', 'closed'],
] as const;

const edgeKey = (from: string, event: string) => `${from} ${event}`;
const allowed = new Set(EXPECTED_CONVERSATION.map(([from, event]) => edgeKey(from, event)));
const refusedConversation = CONVERSATION_STATES.flatMap((state) =>
  CONVERSATION_EVENTS.filter((event) => !allowed.has(edgeKey(state, event))).map((event) => [state, event] as const),
);
const ticketAllowed = new Set(EXPECTED_TICKET.map(([from, event]) => edgeKey(from, event)));
const refusedTicket = TICKET_STATES.flatMap((state) =>
  TICKET_EVENTS.filter((event) => !ticketAllowed.has(edgeKey(state, event))).map((event) => [state, event] as const),
);

describe('the conversation transition table', () => {
  it('holds exactly the documented edges', () => {
    expect(CONVERSATION_MACHINE.edges.map((e) => [e.from, e.event, e.to])).toEqual(EXPECTED_CONVERSATION);
  });

  it.each(EXPECTED_CONVERSATION)('moves %s on %s to %s', (from, event, to) => {
    expect(transition(from, event)).toBe(to);
    expect(canTransition(from, event)).toBe(true);
  });

  it('refuses every other (state, event) pair: 45 pairs, 11 edges, 34 refused', () => {
    expect(CONVERSATION_STATES.length * CONVERSATION_EVENTS.length).toBe(45);
    expect(refusedConversation).toHaveLength(34);
  });

  it.each(refusedConversation)('refuses %s on %s with HL_ERR_BAD_TRANSITION naming both', (state, event) => {
    expect(canTransition(state, event)).toBe(false);
    expect(() => transition(state, event)).toThrowError(
      expect.objectContaining({
        code: 'HL_ERR_BAD_TRANSITION',
        statusCode: 409,
        message: `A conversation in state ${state} cannot take the event ${event}`,
      }),
    );
  });

  it('is frozen, so nothing can add an edge at run time', () => {
    expect(Object.isFrozen(CONVERSATION_MACHINE.edges)).toBe(true);
    expect(Object.isFrozen(CONVERSATION_MACHINE.edges[0])).toBe(true);
  });

  it('keeps the bot silent while the user waits for or talks with a person', () => {
    expect(CONVERSATION_STATES.filter(botMaySpeak)).toEqual(['bot', 'closed', 'ticket']);
    expect(botMaySpeak('queued')).toBe(false);
    expect(botMaySpeak('agent')).toBe(false);
  });
});

describe('the ticket transition table', () => {
  it('holds exactly the documented edges', () => {
    expect(TICKET_MACHINE.edges.map((e) => [e.from, e.event, e.to])).toEqual(EXPECTED_TICKET);
  });

  it.each(EXPECTED_TICKET)('moves %s on %s to %s', (from, event, to) => {
    expect(ticketTransition(from, event)).toBe(to);
    expect(canTicketTransition(from, event)).toBe(true);
  });

  it.each(refusedTicket)('refuses %s on %s with HL_ERR_BAD_TRANSITION', (state, event) => {
    expect(canTicketTransition(state, event)).toBe(false);
    expect(() => ticketTransition(state, event)).toThrowError(
      expect.objectContaining({ code: 'HL_ERR_BAD_TRANSITION', message: `A ticket in state ${state} cannot take the event ${event}` }),
    );
  });

  it('refuses 5 of the 9 (state, event) pairs', () => {
    expect(refusedTicket).toHaveLength(5);
  });
});

describe('the diagram', () => {
  it('prints one edge a line, for README', () => {
    expect(renderDiagram(CONVERSATION_MACHINE)).toBe(
      [
        'bot --handoff.requested--> queued',
        'queued --handoff.cancelled--> bot',
        'queued --handoff.assigned--> agent',
        'queued --handoff.unavailable--> bot',
        'queued --ticket.created--> ticket',
        'agent --handoff.requeued--> queued',
        'agent --handoff.returned--> bot',
        'agent --handoff.resolved--> closed',
        'bot --ticket.created--> ticket',
        'closed --conversation.resumed--> bot',
        'ticket --conversation.resumed--> bot',
      ].join('\n'),
    );
    expect(renderDiagram(TICKET_MACHINE).split('\n')).toEqual([
      'open --ticket.claimed--> claimed',
      'claimed --ticket.released--> open',
      'claimed --ticket.closed--> closed',
      'open --ticket.closed--> closed',
    ]);
  });
});
