import { type Api, errorText } from './api.js';
import { citationList } from './citations.js';
import { copyText } from './copy.js';
import { button, el, setOptions } from './dom.js';
import type { Suggestion } from './protocol.js';
import { percent } from './transcript.js';

/**
 * 来电辅助, for the phone line: what the caller says (and their region) → `POST /api/assist` → up to
 * three suggested answers, each with confidence, intent, sources and a 复制 button. Ctrl+Enter queries.
 */
export class AssistPanel {
  readonly root = el('section', { id: 'assist', class: 'panel', 'aria-labelledby': 'assist-title' });
  private readonly text = el('textarea', { id: 'assist-text', name: 'text', rows: '3', maxlength: '500', required: '' });
  private readonly region = el('select', { id: 'assist-region', name: 'region' });
  private readonly query = el('button', { type: 'submit', class: 'query' }, '查询');
  private readonly results = el('div', { class: 'results', 'aria-live': 'polite' });
  /** Only the latest query's answer is shown. */
  private seq = 0;

  constructor(private readonly api: Api) {
    const form = el(
      'form',
      { 'aria-label': '来电辅助查询' },
      el('label', { for: 'assist-text' }, '来电人说…'),
      this.text,
      el('div', { class: 'row' }, el('label', { for: 'assist-region' }, '地区'), this.region, this.query),
    );
    this.root.append(el('h2', { id: 'assist-title' }, '来电辅助'), form, this.results);
    this.setRegions([]);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.ask();
    });
    this.text.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.isComposing) {
        e.preventDefault();
        void this.ask();
      }
    });
  }

  setRegions(regions: readonly string[]): void {
    setOptions(this.region, [['', '不限'], ...regions.map((r) => [r, r] as const)]);
  }

  reset(): void {
    this.seq++;
    this.text.value = '';
    this.results.replaceChildren();
    this.setRegions([]);
  }

  private async ask(): Promise<void> {
    const text = this.text.value.trim();
    if (!text) {
      this.text.focus();
      return;
    }
    const seq = ++this.seq;
    this.results.replaceChildren(el('p', { class: 'muted' }, '查询中…'));
    const region = this.region.value;
    try {
      const { suggestions } = await this.api.post<{ suggestions: Suggestion[] }>('/api/assist', { text, ...(region ? { region } : {}) });
      if (seq !== this.seq) return;
      const shown = (suggestions ?? []).slice(0, 3);
      if (shown.length === 0) {
        this.results.replaceChildren(el('p', { class: 'empty' }, '没有找到可用的建议，请换个说法或选择地区'));
        return;
      }
      this.results.replaceChildren(...shown.map((s, i) => this.suggestion(s, i + 1)));
    } catch (error) {
      if (seq !== this.seq) return;
      this.results.replaceChildren(el('p', { class: 'error', role: 'alert' }, `查询失败：${errorText(error)}`));
    }
  }

  private suggestion(s: Suggestion, n: number): HTMLElement {
    const copy = button('复制', 'copy', { 'aria-label': `复制建议 ${n}` });
    const done = el('span', { class: 'copied', role: 'status' });
    copy.addEventListener('click', async () => {
      const ok = await copyText(s.text);
      done.textContent = ok ? '已复制' : '复制失败，请手动选择文字';
      setTimeout(() => {
        done.textContent = '';
      }, 2000);
    });
    const meta = [`置信度 ${percent(s.confidence)}`, `意图 ${s.intent}`, s.region ? `地区 ${s.region}` : ''].filter(Boolean).join(' · ');
    const node = el(
      'article',
      { class: 'suggestion', 'aria-label': `建议 ${n}` },
      el('div', { class: 'text' }, s.text),
      el('p', { class: 'muted meta' }, meta),
    );
    const list = citationList(s.citations);
    if (list) node.append(el('div', { class: 'sources-label' }, '来源'), list);
    node.append(el('div', { class: 'row' }, copy, done));
    return node;
  }
}
