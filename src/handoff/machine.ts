import { HlError } from '../errors.js';

/**
 * Human handoff as explicit state machines: one transition table for a conversation, one for a callback
 * ticket. Every state change in the desk and the store goes through `transition` / `ticketTransition`;
 * nothing else decides what may follow what. The tables are data, so README prints them
 * (`renderDiagram`) and the tests iterate them.
 */

export const CONVERSATION_STATES = ['bot', 'queued', 'agent', 'closed', 'ticket'] as const;
export type ConversationState = (typeof CONVERSATION_STATES)[number];

export const CONVERSATION_EVENTS = [
  'handoff.requested',
  'handoff.cancelled',
  'handoff.assigned',
  'handoff.requeued',
  'handoff.returned',
  'handoff.resolved',
  'handoff.unavailable',
  'ticket.created',
  'conversation.resumed',
] as const;
export type ConversationEvent = (typeof CONVERSATION_EVENTS)[number];

export const TICKET_STATES = ['open', 'claimed', 'closed'] as const;
export type TicketState = (typeof TICKET_STATES)[number];

export const TICKET_EVENTS = ['ticket.claimed', 'ticket.released', 'ticket.closed'] as const;
export type TicketEvent = (typeof TICKET_EVENTS)[number];

export interface Edge<S extends string, E extends string> {
  readonly from: S;
  readonly event: E;
  readonly to: S;
  /** What happened, for people reading the table. */
  readonly note: string;
}

export interface Machine<S extends string, E extends string> {
  /** What the machine is about, as named in error messages: `conversation`, `ticket`. */
  readonly name: string;
  readonly states: readonly S[];
  readonly events: readonly E[];
  readonly edges: readonly Edge<S, E>[];
}

function freeze<S extends string, E extends string>(machine: Machine<S, E>): Machine<S, E> {
  return Object.freeze({ ...machine, edges: Object.freeze(machine.edges.map((e) => Object.freeze({ ...e }))) });
}

export const CONVERSATION_MACHINE: Machine<ConversationState, ConversationEvent> = freeze({
  name: 'conversation',
  states: CONVERSATION_STATES,
  events: CONVERSATION_EVENTS,
  edges: [
    { from: 'bot', event: 'handoff.requested', to: 'queued', note: 'the user asks for a person' },
    { from: 'queued', event: 'handoff.cancelled', to: 'bot', note: 'the user stops waiting' },
    { from: 'queued', event: 'handoff.assigned', to: 'agent', note: 'an agent takes the chat' },
    { from: 'queued', event: 'handoff.unavailable', to: 'bot', note: 'no agent online, or the wait limit passed; hotline given' },
    { from: 'queued', event: 'ticket.created', to: 'ticket', note: 'the user leaves a callback request instead of waiting' },
    { from: 'agent', event: 'handoff.requeued', to: 'queued', note: 'the agent released the chat or went offline' },
    { from: 'agent', event: 'handoff.returned', to: 'bot', note: 'the agent hands the user back to the bot' },
    { from: 'agent', event: 'handoff.resolved', to: 'closed', note: 'the agent closes with a resolution tag' },
    { from: 'bot', event: 'ticket.created', to: 'ticket', note: 'the user leaves a callback request' },
    { from: 'closed', event: 'conversation.resumed', to: 'bot', note: 'the user writes again' },
    { from: 'ticket', event: 'conversation.resumed', to: 'bot', note: 'the user writes again' },
  ],
});

export const TICKET_MACHINE: Machine<TicketState, TicketEvent> = freeze({
  name: 'ticket',
  states: TICKET_STATES,
  events: TICKET_EVENTS,
  edges: [
    { from: 'open', event: 'ticket.claimed', to: 'claimed', note: 'an agent takes the callback' },
    { from: 'claimed', event: 'ticket.released', to: 'open', note: 'the agent gives it back' },
    { from: 'claimed', event: 'ticket.closed', to: 'closed', note: 'the agent called back and closes it' },
    { from: 'open', event: 'ticket.closed', to: 'closed', note: 'closed without being claimed' },
  ],
});

/** The state `event` leads to from `state`, or undefined when the table has no such edge. */
export function nextState<S extends string, E extends string>(machine: Machine<S, E>, state: S, event: E): S | undefined {
  return machine.edges.find((e) => e.from === state && e.event === event)?.to;
}

/** The state `event` leads to from `state`; throws HL_ERR_BAD_TRANSITION naming both when refused. */
export function step<S extends string, E extends string>(machine: Machine<S, E>, state: S, event: E): S {
  const to = nextState(machine, state, event);
  if (to === undefined) throw new HlError('HL_ERR_BAD_TRANSITION', [machine.name, state, event]);
  return to;
}

export function transition(state: ConversationState, event: ConversationEvent): ConversationState {
  return step(CONVERSATION_MACHINE, state, event);
}

export function canTransition(state: ConversationState, event: ConversationEvent): boolean {
  return nextState(CONVERSATION_MACHINE, state, event) !== undefined;
}

export function ticketTransition(state: TicketState, event: TicketEvent): TicketState {
  return step(TICKET_MACHINE, state, event);
}

export function canTicketTransition(state: TicketState, event: TicketEvent): boolean {
  return nextState(TICKET_MACHINE, state, event) !== undefined;
}

/**
 * Whether the bot may answer the user. The bot is silent while the user waits for a person (`queued`)
 * and while a person talks (`agent`). In `closed` and `ticket` it may: the user's next message first
 * resumes the conversation (`conversation.resumed` → `bot`), then the bot answers.
 */
export function botMaySpeak(state: ConversationState): boolean {
  return state === 'bot' || state === 'closed' || state === 'ticket';
}

/** The table as plain text, one edge a line: `bot --handoff.requested--> queued`. */
export function renderDiagram<S extends string, E extends string>(machine: Machine<S, E>): string {
  return machine.edges.map((e) => `${e.from} --${e.event}--> ${e.to}`).join('\n');
}
