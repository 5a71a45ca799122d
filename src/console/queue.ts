import { button, el, mmss } from './dom.js';
import { labelOf, REASON } from './labels.js';
import type { QueueItem } from './protocol.js';

interface Row {
  li: HTMLLIElement;
  position: HTMLElement;
  region: HTMLElement;
  reason: HTMLElement;
  wait: HTMLElement;
  last: HTMLElement;
  accept: HTMLButtonElement;
  queuedAt: number;
}

/**
 * The waiting users, in queue order: position, region, reason, waiting time (ticking), last message and
 * an 接入 button. Rows are kept by session id, so an update never moves focus off a button.
 */
export class QueuePanel {
  readonly root = el('section', { id: 'queue', class: 'panel', 'aria-labelledby': 'queue-title' });
  private readonly title = el('h2', { id: 'queue-title' }, '排队中');
  private readonly list = el('ul', { class: 'rows' });
  private readonly empty = el('p', { class: 'empty' }, '暂无排队用户');
  /** Shown when more wait than the server sends (the front page of the queue). */
  private readonly more = el('p', { class: 'more', hidden: '' });
  private readonly rows = new Map<string, Row>();
  private readonly pending = new Set<string>();
  private canAccept = true;

  constructor(private readonly accept: (sessionId: string) => boolean) {
    this.root.append(this.title, this.empty, this.list, this.more);
  }

  /** Shows the front of the queue (`total` wait in all); returns the items that were not in it before. */
  update(items: readonly QueueItem[], now: number, total = items.length): QueueItem[] {
    const sorted = [...items].sort((a, b) => a.position - b.position);
    const fresh: QueueItem[] = [];
    const keep = new Set(sorted.map((i) => i.sessionId));
    for (const [id, row] of this.rows) {
      if (keep.has(id)) continue;
      row.li.remove();
      this.rows.delete(id);
      this.pending.delete(id);
    }
    sorted.forEach((item, index) => {
      let row = this.rows.get(item.sessionId);
      if (!row) {
        row = this.row(item.sessionId);
        this.rows.set(item.sessionId, row);
        fresh.push(item);
      }
      row.queuedAt = item.queuedAt;
      row.position.textContent = `${item.position}`;
      row.region.textContent = item.region ?? '未知地区';
      row.reason.textContent = labelOf(REASON, item.reason);
      row.last.textContent = item.lastUserText ?? '';
      row.last.hidden = !item.lastUserText;
      if (this.list.children[index] !== row.li) this.list.insertBefore(row.li, this.list.children[index] ?? null);
    });
    const count = Math.max(total, sorted.length);
    this.title.textContent = `排队中（${count}）`;
    this.empty.hidden = count > 0;
    this.more.hidden = count <= sorted.length;
    this.more.textContent = `另有 ${count - sorted.length} 位排在后面，接入前面的用户后依次显示。`;
    this.tick(now);
    this.refreshButtons();
    return fresh;
  }

  /** Waiting times against the server's clock. */
  tick(now: number): void {
    for (const row of this.rows.values()) row.wait.textContent = mmss(now - row.queuedAt);
  }

  setCanAccept(can: boolean): void {
    this.canAccept = can;
    this.refreshButtons();
  }

  /** The accept of `sessionId` got its answer (a chat, or an error): the button works again. */
  settle(sessionId?: string): void {
    if (sessionId === undefined) this.pending.clear();
    else this.pending.delete(sessionId);
    this.refreshButtons();
  }

  isPending(sessionId: string): boolean {
    return this.pending.has(sessionId);
  }

  clear(): void {
    this.update([], 0);
    this.pending.clear();
  }

  private refreshButtons(): void {
    for (const [id, row] of this.rows) {
      const busy = this.pending.has(id);
      row.accept.disabled = busy || !this.canAccept;
      row.accept.textContent = busy ? '接入中…' : '接入';
      if (this.canAccept) row.accept.removeAttribute('title');
      else row.accept.title = '已达接待上限或未连接';
    }
  }

  private row(sessionId: string): Row {
    const position = el('span', { class: 'position' });
    const region = el('strong', { class: 'region' });
    const reason = el('span', { class: 'reason' });
    const wait = el('span', { class: 'wait', 'aria-label': '等待时间' });
    const last = el('p', { class: 'last' });
    const accept = button('接入', 'accept');
    const li = el(
      'li',
      { 'data-session': sessionId },
      el(
        'div',
        { class: 'line' },
        el('span', { class: 'sr-only' }, '第'),
        position,
        el('span', { class: 'sr-only' }, '位'),
        region,
        reason,
        wait,
      ),
      last,
      accept,
    );
    accept.addEventListener('click', () => {
      if (this.pending.has(sessionId)) return;
      if (!this.accept(sessionId)) return;
      this.pending.add(sessionId);
      this.refreshButtons();
      // No answer at all (the frame was lost): let the agent try again.
      setTimeout(() => this.settle(sessionId), 10_000);
    });
    return { li, position, region, reason, wait, last, accept, queuedAt: 0 };
  }
}
