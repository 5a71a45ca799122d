import { type Api, errorText } from './api.js';
import { clauseLabel } from './citations.js';
import { el, link, setOptions } from './dom.js';
import { FACT_HEADINGS } from './labels.js';
import type { Card, CardEntry } from './protocol.js';

/** 速查卡: a region's phones, deadlines, prescription quantities …, grouped by type, each linked to its clause. */
export class CardPanel {
  readonly root = el('section', { id: 'card', class: 'panel', 'aria-labelledby': 'card-title' });
  private readonly region = el('select', { id: 'card-region', name: 'region' });
  private readonly body = el('div', { class: 'card-body', 'aria-live': 'polite' });
  private seq = 0;

  constructor(private readonly api: Api) {
    this.root.append(
      el('h2', { id: 'card-title' }, '速查卡'),
      el('div', { class: 'row' }, el('label', { for: 'card-region' }, '地区'), this.region),
      this.body,
    );
    this.setRegions([]);
    this.region.addEventListener('change', () => void this.load());
  }

  setRegions(regions: readonly string[]): void {
    setOptions(this.region, [['', '请选择地区'], ...regions.map((r) => [r, r] as const)]);
  }

  reset(): void {
    this.seq++;
    this.setRegions([]);
    this.body.replaceChildren();
  }

  private async load(): Promise<void> {
    const region = this.region.value;
    const seq = ++this.seq;
    if (!region) {
      this.body.replaceChildren();
      return;
    }
    this.body.replaceChildren(el('p', { class: 'muted' }, '载入中…'));
    try {
      const card = await this.api.get<Card>(`/api/agent/card?region=${encodeURIComponent(region)}`);
      if (seq === this.seq) this.render(card);
    } catch (error) {
      if (seq === this.seq) this.body.replaceChildren(el('p', { class: 'error', role: 'alert' }, `载入失败：${errorText(error)}`));
    }
  }

  private render(card: Card): void {
    const entries = card.entries ?? [];
    const parts: HTMLElement[] = [];
    if (entries.length === 0) parts.push(el('p', { class: 'empty' }, '该地区暂无速查信息'));
    for (const [type, heading] of FACT_HEADINGS) {
      const group = entries.filter((e) => e.type === type);
      if (group.length === 0) continue;
      parts.push(el('section', { class: 'group', 'data-group': type }, el('h3', {}, heading), el('ul', {}, ...group.map(entry))));
    }
    const known = new Set(FACT_HEADINGS.map(([t]) => t));
    const other = entries.filter((e) => !known.has(e.type));
    if (other.length > 0) parts.push(el('section', { class: 'group' }, el('h3', {}, '其他'), el('ul', {}, ...other.map(entry))));
    if (card.notices?.length) parts.push(el('p', { class: 'muted' }, `依据 ${card.notices.length} 份文件：${card.notices.join('、')}`));
    this.body.replaceChildren(...parts);
  }
}

function entry(e: CardEntry): HTMLLIElement {
  const head = el('div', { class: 'fact' });
  if (e.label) head.append(el('span', { class: 'label' }, `${e.label}：`));
  head.append(el('strong', {}, e.text));
  return el(
    'li',
    { class: 'entry', 'data-type': e.type },
    head,
    el('p', { class: 'sentence' }, e.sentence),
    link(e.url, `${e.notice} ${clauseLabel(e.clause)}`, 'clause'),
  );
}
