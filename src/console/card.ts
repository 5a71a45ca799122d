import { type Api, errorText } from './api.js';
import { clauseLabel } from './citations.js';
import { el, link, setOptions } from './dom.js';
import { FACT_HEADINGS } from './labels.js';
import type { Card, CardEntry } from './protocol.js';

/**
 * 速查卡: what an agent reads out for a region — phones with their offices and hours, deadlines, prescription
 * quantities … (the server keeps the noise out) — grouped by type, each linked to its clause by the notice's
 * short title and the clause number (第十二条（四）), never a raw id.
 */
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
    const sources = card.sources ?? [];
    if (sources.length > 0) {
      const links = sources.flatMap((s, i) => [
        ...(i > 0 ? ['、'] : []),
        link(s.url, `《${s.source}》${s.date ? `（${s.date}）` : ''}`, 'source'),
      ]);
      parts.push(el('p', { class: 'muted sources-of-card' }, `依据 ${sources.length} 份文件：`, ...links));
    }
    this.body.replaceChildren(...parts);
  }
}

/** Runs of digits with dashes (phone numbers, 0472-6970828) wrapped so that a line never breaks inside one. */
const NUMBER = /[0-9０-９][0-9０-９\-－]{4,}[0-9０-９]/g;

function unbroken(text: string): (Node | string)[] {
  const out: (Node | string)[] = [];
  let at = 0;
  for (const m of text.matchAll(NUMBER)) {
    if (m.index > at) out.push(text.slice(at, m.index));
    out.push(el('span', { class: 'number' }, m[0]));
    at = m.index + m[0].length;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

function entry(e: CardEntry): HTMLLIElement {
  const head = el('div', { class: 'fact' });
  if (e.label) head.append(el('span', { class: 'label' }, `${e.label}：`));
  head.append(el('strong', { class: e.type === 'phone' ? 'value number' : 'value' }, e.text));
  if (e.hours && !(e.label ?? '').includes(e.hours)) head.append(' ', el('span', { class: 'hours' }, `（${e.hours}）`));
  const clause = clauseLabel(e.clause);
  const source = link(e.url, '', 'clause');
  // The clause number stays on one line with nothing split off it (第 | 十二条).
  source.append(`${e.source} `, el('span', { class: 'nowrap' }, clause));
  source.title = [e.title ? `《${e.title}》` : '', e.date ?? '', clause].filter(Boolean).join(' ');
  return el('li', { class: 'entry', 'data-type': e.type }, head, el('p', { class: 'sentence' }, ...unbroken(e.sentence)), source);
}
