import { type Api, errorText } from './api.js';
import { button, dateTime, el, keepFocus, select, time } from './dom.js';
import { labelOf, TICKET_RESOLUTIONS, TICKET_STATUS } from './labels.js';
import type { Ticket, TicketStatus } from './protocol.js';
import { TicketTranscriptDialog } from './ticket-transcript.js';

const STATUSES: ReadonlyArray<readonly [TicketStatus, string]> = [
  ['open', TICKET_STATUS.open],
  ['claimed', TICKET_STATUS.claimed],
  ['closed', TICKET_STATUS.closed],
];

/**
 * 回电工单: callback tickets of one status, with 认领, 退回, 关闭 and 查看会话 (the conversation the ticket came
 * from, read-only); refetched whenever the server says they changed.
 */
export class TicketsPanel {
  readonly root = el('section', { id: 'tickets', class: 'panel', 'aria-labelledby': 'tickets-title' });
  private readonly title = el('h2', { id: 'tickets-title' }, '回电工单');
  private readonly status = select(STATUSES, { id: 'ticket-status', class: 'status' });
  private readonly list = el('ul', { class: 'rows' });
  private readonly message = el('p', { class: 'empty' });
  private loading = false;
  private again = false;
  readonly transcript: TicketTranscriptDialog;

  constructor(
    private readonly api: Api,
    private readonly me: () => string,
  ) {
    this.transcript = new TicketTranscriptDialog(api, me);
    const refresh = button('刷新', 'refresh');
    refresh.addEventListener('click', () => void this.refresh());
    this.status.addEventListener('change', () => void this.refresh());
    this.root.append(
      this.title,
      el('div', { class: 'row' }, el('label', { for: 'ticket-status' }, '状态'), this.status, refresh),
      this.message,
      this.list,
      this.transcript.root,
    );
  }

  /** Fetches the list; calls while one is under way make one more fetch after it, not one each. */
  async refresh(): Promise<void> {
    if (this.loading) {
      this.again = true;
      return;
    }
    this.loading = true;
    try {
      do {
        this.again = false;
        const status = this.status.value as TicketStatus;
        try {
          const { tickets } = await this.api.get<{ tickets: Ticket[] }>(`/api/agent/tickets?status=${encodeURIComponent(status)}`);
          if (status === this.status.value) this.render(tickets ?? []);
          else this.again = true;
        } catch (error) {
          this.message.textContent = `载入失败：${errorText(error)}`;
          this.message.hidden = false;
        }
      } while (this.again);
    } finally {
      this.loading = false;
    }
  }

  reset(): void {
    this.transcript.close();
    this.list.replaceChildren();
    this.message.hidden = true;
    this.title.textContent = '回电工单';
  }

  private render(tickets: readonly Ticket[]): void {
    const restore = keepFocus(this.list, 'data-ticket', this.status);
    this.list.replaceChildren(...tickets.map((t) => this.row(t)));
    restore();
    this.title.textContent = `回电工单（${TICKET_STATUS[this.status.value as TicketStatus] ?? ''} ${tickets.length}）`;
    this.message.textContent = tickets.length === 0 ? '没有工单' : '';
    this.message.hidden = tickets.length > 0;
  }

  private row(t: Ticket): HTMLLIElement {
    const phone = /^[0-9+\-]+$/.test(t.phone)
      ? el('a', { href: `tel:${t.phone}`, class: 'number' }, t.phone)
      : el('span', { class: 'number' }, t.phone);
    const who = t.claimedBy ? ` · 认领人：${t.claimedBy === this.me() ? '我' : t.claimedBy}` : '';
    const li = el(
      'li',
      { 'data-ticket': t.id, 'data-status': t.status },
      el(
        'div',
        { class: 'line' },
        el('strong', { class: 'id' }, t.id),
        el('span', { class: `badge ${t.status}` }, TICKET_STATUS[t.status] ?? t.status),
        el('span', { class: 'region' }, t.region ?? '未知地区'),
      ),
      el('div', { class: 'phone' }, '电话：', phone),
      el('p', { class: 'question' }, t.question),
      el(
        'p',
        { class: 'muted' },
        '创建于 ',
        time(t.createdAt, dateTime(t.createdAt)),
        who,
        t.resolution ? ` · 结果：${labelOf(TICKET_RESOLUTIONS, t.resolution)}` : '',
      ),
    );
    const result = el('p', { class: 'error', role: 'alert', hidden: '' });
    const actions = el('div', { class: 'row actions' });
    const view = button('查看会话', 'transcript', { 'aria-label': `查看工单 ${t.id} 的会话记录`, 'aria-haspopup': 'dialog' });
    view.addEventListener('click', () => void this.transcript.open(t, view));
    actions.append(view);
    if (t.status === 'open') {
      const claim = button('认领', 'claim', { 'aria-label': `认领工单 ${t.id}` });
      claim.addEventListener('click', () => void this.change(claim, result, `/api/agent/tickets/${encodeURIComponent(t.id)}/claim`));
      actions.append(claim);
    }
    if (t.status === 'claimed' && t.claimedBy === this.me()) {
      const release = button('退回', 'release', { 'aria-label': `退回工单 ${t.id}`, title: '放回待处理，由其他坐席认领' });
      release.addEventListener('click', () => void this.change(release, result, `/api/agent/tickets/${encodeURIComponent(t.id)}/release`));
      actions.append(release);
    }
    if (t.status !== 'closed') {
      const id = `ticket-resolution-${t.id}`;
      const resolution = select(TICKET_RESOLUTIONS, { id, class: 'resolution' });
      const close = button('关闭', 'close', { 'aria-label': `关闭工单 ${t.id}` });
      close.addEventListener(
        'click',
        () => void this.change(close, result, `/api/agent/tickets/${encodeURIComponent(t.id)}/close`, { resolution: resolution.value }),
      );
      actions.append(el('label', { for: id }, '处理结果'), resolution, close);
    }
    li.append(actions, result);
    return li;
  }

  private async change(control: HTMLButtonElement, result: HTMLElement, path: string, body?: object): Promise<void> {
    control.disabled = true;
    try {
      await this.api.post<{ ticket: Ticket }>(path, body);
      await this.refresh();
    } catch (error) {
      control.disabled = false;
      result.textContent = `操作失败：${errorText(error)}`;
      result.hidden = false;
    }
  }
}
