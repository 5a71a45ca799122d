import { type Api, errorText } from './api.js';
import { button, dateTime, el, time } from './dom.js';
import { labelOf, TICKET_RESOLUTIONS, TICKET_STATUS } from './labels.js';
import type { Ticket, TicketTranscript } from './protocol.js';
import { renderEntry } from './transcript.js';

/**
 * 会话记录 of a callback ticket: the conversation the citizen had before leaving it, read-only, in a modal
 * dialog (Escape or 关闭 closes it, and focus goes back to the button that opened it). Any signed-in agent
 * may read it: tickets are shared work (`GET /api/agent/tickets/:id/transcript`).
 */
export class TicketTranscriptDialog {
  readonly root = el('dialog', { id: 'ticket-transcript', class: 'transcript-dialog', 'aria-labelledby': 'ticket-transcript-title' });
  private readonly title = el('h2', { id: 'ticket-transcript-title' }, '会话记录');
  private readonly meta = el('div', { class: 'meta' });
  private readonly body = el('div', { class: 'log readonly', role: 'region', 'aria-label': '会话记录（只读）', tabindex: '0' });
  private opener: HTMLElement | null = null;
  private ticketId = '';
  /** Only the latest request's answer is shown. */
  private seq = 0;

  constructor(
    private readonly api: Api,
    private readonly me: () => string,
  ) {
    const close = button('关闭', 'dismiss-dialog');
    close.addEventListener('click', () => this.root.close());
    this.root.append(el('div', { class: 'dialog-head' }, this.title, close), this.meta, this.body);
    this.root.addEventListener('close', () => {
      this.seq++;
      // The list may have been rebuilt meanwhile (a ticket changed): the same ticket's button then.
      const again = document.querySelector<HTMLElement>(`[data-ticket="${CSS.escape(this.ticketId)}"] button.transcript`);
      (this.opener?.isConnected ? this.opener : again)?.focus();
      this.opener = null;
    });
  }

  /** Opens the dialog on a ticket's conversation; `opener` gets focus back when it closes. */
  async open(ticket: Ticket, opener: HTMLElement): Promise<void> {
    const seq = ++this.seq;
    this.opener = opener;
    this.ticketId = ticket.id;
    this.title.textContent = `工单 ${ticket.id} · 会话记录`;
    this.renderMeta(ticket, ticket.region);
    this.body.replaceChildren(el('p', { class: 'muted' }, '载入中…'));
    if (!this.root.open) this.root.showModal();
    try {
      const view = await this.api.get<TicketTranscript>(`/api/agent/tickets/${encodeURIComponent(ticket.id)}/transcript`);
      if (seq !== this.seq) return;
      this.renderMeta(view.ticket ?? ticket, view.region ?? ticket.region);
      const lines = view.transcript ?? [];
      const me = this.me();
      const parts: HTMLElement[] = [];
      if (view.truncated) parts.push(el('p', { class: 'muted' }, '较早的记录未显示，仅列出最近的部分。'));
      if (lines.length === 0) parts.push(el('p', { class: 'empty' }, '这张工单没有会话记录（用户直接留言回电）'));
      parts.push(...lines.map((entry) => renderEntry(entry, me)));
      this.body.replaceChildren(...parts);
    } catch (error) {
      if (seq === this.seq) this.body.replaceChildren(el('p', { class: 'error', role: 'alert' }, `载入失败：${errorText(error)}`));
    }
  }

  close(): void {
    if (this.root.open) this.root.close();
  }

  private renderMeta(t: Ticket, region: string | null): void {
    const rows: [string, Node | string][] = [
      ['地区', region ?? '未知地区'],
      ['电话', el('span', { class: 'number' }, t.phone)],
      ['问题', t.question],
      ['状态', `${labelOf(TICKET_STATUS, t.status)}${t.claimedBy ? ` · 认领人：${t.claimedBy === this.me() ? '我' : t.claimedBy}` : ''}`],
      ['创建于', time(t.createdAt, dateTime(t.createdAt))],
    ];
    if (t.resolution) rows.push(['处理结果', labelOf(TICKET_RESOLUTIONS, t.resolution)]);
    this.meta.replaceChildren(el('dl', {}, ...rows.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])));
  }
}
