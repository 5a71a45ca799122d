import { el } from './dom.js';
import type { Labels } from './labels.js';
import type { ChatLog } from './log.js';
import { type TicketForm, ticketForm } from './ticket.js';
import type { ConversationState, HandoffFrame } from './types.js';

export interface DeskContext {
  chat: ChatLog;
  /** The 转人工 button. */
  human: HTMLButtonElement;
  labels(): Labels;
  send(frame: object): void;
  /** A fresh id for a ticket frame (`t…`), so its error comes back to the form. */
  ticketId(): string;
}

/**
 * The handoff desk's side of the chat: who has the conversation (转人工 off while a person has it or is being
 * waited for), the place in the queue with 取消排队 (a newer place replaces the older), the callback form when
 * nobody can take the chat, and its ticket id or error.
 */
export class Desk {
  /** The latest place in the queue, with its 取消排队. */
  private waiting: HTMLElement | null = null;
  private form: TicketForm | null = null;

  constructor(private readonly ctx: DeskContext) {}

  state(state: ConversationState): void {
    this.ctx.human.disabled = state === 'queued' || state === 'agent';
    if (state !== 'queued') this.stopWaiting();
  }

  /** A `handoff` frame: its note (with its sources), then 取消排队 or the callback form. */
  news(f: HandoffFrame): void {
    const { chat, labels } = this.ctx;
    if (f.state === 'queued' && this.waiting) chat.drop(this.waiting);
    this.stopWaiting();
    const box = chat.system(f.text, { event: f.event, ...(f.citations ? { citations: f.citations } : {}) });
    this.state(f.state);
    if (f.state === 'queued') {
      const cancel = el('button', { type: 'button', class: 'cancel' }, labels().cancel);
      cancel.addEventListener('click', () => this.ctx.send({ type: 'cancel' }));
      box.querySelector('.meta')?.before(cancel);
      this.waiting = box;
      chat.toEnd();
    }
    if (f.offerTicket) {
      this.form?.form.remove();
      this.form = ticketForm(labels(), (phone, question) => this.ctx.send({ type: 'ticket', id: this.ctx.ticketId(), phone, question }));
      chat.attach(this.form.form);
    }
  }

  /** The ticket is registered: the form goes, the desk's words (with the ticket id) stay. */
  ticket(text: string): void {
    this.form?.form.remove();
    this.form = null;
    this.ctx.chat.system(text, { event: 'ticket' });
  }

  /** An error for the callback form, said under it; false when no form is waiting for one. */
  ticketError(text: string): boolean {
    if (!this.form) return false;
    this.form.error(text);
    return true;
  }

  private stopWaiting(): void {
    this.waiting?.querySelector('.cancel')?.remove();
    this.waiting = null;
  }
}
