import { button, el, select } from '../../console/dom.js';
import { errorText, type OpsApi } from './api.js';
import { labelOf, SOURCE } from './labels.js';
import type { ExpiryResponse, NoticeExpiry, StagedFile } from './shapes.js';

const RANGES: ReadonlyArray<readonly [string, string]> = [
  ['30', '30 天内'],
  ['60', '60 天内'],
  ['90', '90 天内'],
  ['180', '180 天内'],
  ['365', '一年内'],
];

type Row = Pick<NoticeExpiry, 'notice' | 'title' | 'region' | 'date'> &
  Partial<Pick<NoticeExpiry, 'expires' | 'source' | 'daysLeft'>> & { temporary?: string | null };

let rows = 0;

/**
 * 有效期: notices past their end date, ending soon, and temporary ones that state no end; for any of them the
 * operator sets (or clears) the end date, which stages a sidecar to preview and publish under 通知更新.
 */
export class ExpiryTab {
  readonly root = el('section', { class: 'tab expiry' });
  private readonly range = select(RANGES, { id: 'expiry-days' });
  private readonly status = el('p', { class: 'status', role: 'status', id: 'expiry-status' });
  private readonly body = el('div', { class: 'expiry-lists' });
  private loading = false;

  constructor(
    private readonly api: OpsApi,
    private readonly staged: (file: StagedFile) => void,
  ) {
    this.range.addEventListener('change', () => void this.load());
    this.root.append(
      el('div', { class: 'toolbar' }, el('h2', {}, '有效期'), el('label', { for: 'expiry-days' }, '即将到期的范围'), this.range),
      this.status,
      this.body,
    );
  }

  async load(): Promise<void> {
    if (this.loading) return;
    this.loading = true;
    try {
      const r = await this.api.get<ExpiryResponse>(`/api/ops/expiry?days=${this.range.value}`);
      this.body.replaceChildren(
        this.section('expired', `已过期（${r.expired.length}）`, r.expired, '没有已过期的通知'),
        this.section(
          'soon',
          `即将到期（${r.soon.length}）`,
          r.soon,
          `${labelOf(Object.fromEntries(RANGES), this.range.value)}没有到期的通知`,
        ),
        this.section('open', `阶段性措施未写明截止日期（${r.open.length}）`, r.open, '没有这样的通知'),
      );
      this.status.textContent = `今天是 ${r.today}`;
    } catch (error) {
      this.status.textContent = `有效期载入失败：${errorText(error)}`;
    } finally {
      this.loading = false;
    }
  }

  private section(id: string, title: string, list: readonly Row[], empty: string): HTMLElement {
    return el(
      'section',
      { class: 'block', id: `expiry-${id}`, 'aria-labelledby': `expiry-${id}-title` },
      el('h3', { id: `expiry-${id}-title` }, title),
      list.length > 0 ? el('ul', { class: 'rows' }, ...list.map((n) => this.row(n))) : el('p', { class: 'empty' }, empty),
    );
  }

  private row(n: Row): HTMLLIElement {
    const k = ++rows;
    const left =
      n.daysLeft === undefined ? '' : n.daysLeft < 0 ? `已过期 ${-n.daysLeft} 天` : n.daysLeft === 0 ? '今天到期' : `还有 ${n.daysLeft} 天`;
    const date = el('input', { type: 'date', id: `expiry-${k}`, name: 'expires', required: '' });
    if (n.expires) date.value = n.expires;
    const save = el('button', { type: 'submit', class: 'primary' }, '暂存新有效期');
    const clear = button('清除有效期', 'clear');
    const result = el('p', { class: 'result', role: 'status' });
    const form = el(
      'form',
      { class: 'set-expiry', 'aria-label': `设置 ${n.notice} 的有效期` },
      el('label', { for: `expiry-${k}` }, '有效期至'),
      date,
      save,
      n.expires ? clear : '',
    );
    const send = async (expires: string | null) => {
      save.disabled = true;
      clear.disabled = true;
      try {
        const { staged } = await this.api.post<{ staged: StagedFile }>('/api/ops/expiry', { notice: n.notice, expires });
        const go = button('去预览并发布', 'go');
        go.addEventListener('click', () => this.staged(staged));
        result.replaceChildren(`已暂存 ${staged.name}（${expires ? `有效期至 ${expires}` : '清除有效期'}）。发布后才生效。`, go);
      } catch (error) {
        result.textContent = `暂存失败：${errorText(error)}`;
      } finally {
        save.disabled = false;
        clear.disabled = false;
      }
    };
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      if (!date.value) {
        result.textContent = '请选择日期';
        date.focus();
        return;
      }
      void send(date.value);
    });
    clear.addEventListener('click', () => void send(null));
    return el(
      'li',
      { 'data-notice': n.notice },
      el('p', { class: 'line' }, el('strong', {}, n.title ?? n.notice), el('span', { class: 'muted' }, ` ${n.notice}`)),
      el(
        'p',
        { class: 'muted' },
        `${n.region ?? '地区未知'} · 发文 ${n.date ?? '—'}${n.expires ? ` · 有效期至 ${n.expires}（来自${labelOf(SOURCE, n.source ?? '')}）` : ''}${left ? ` · ${left}` : ''}${n.temporary ? ` · 因“${n.temporary}”判为阶段性措施` : ''}`,
      ),
      form,
      result,
    );
  }
}
