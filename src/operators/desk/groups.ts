import { button, dateTime, el, select, time } from '../../console/dom.js';
import { errorText, type OpsApi } from './api.js';
import { ExportForm } from './export-form.js';
import { CHANNEL, GROUP_BY, KIND, labelOf, REPLY_TYPE } from './labels.js';
import { SavedSets } from './sets.js';
import type { GroupsResponse, MissGroup } from './shapes.js';

const RANGES: ReadonlyArray<readonly [string, string]> = [
  ['1', '今天'],
  ['7', '近 7 天'],
  ['30', '近 30 天'],
  ['90', '近 90 天'],
];

const KINDS: ReadonlyArray<readonly [string, string]> = [['', '全部'], ...Object.entries(KIND)];

/** A label and its control, kept together when the row wraps. */
function field(id: string, label: string, control: HTMLElement): HTMLElement {
  return el('span', { class: 'field' }, el('label', { for: id }, label), control);
}

/** `{包头: 3, 大连: 1}` → `包头 3、大连 1`, largest first. */
function tally(counts: Readonly<Record<string, number>>, labels?: Readonly<Record<string, string>>): string {
  return (
    Object.entries(counts)
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${labels ? labelOf(labels, k) : k} ${n}`)
      .join('、') || '—'
  );
}

/** The counts per day as small bars (for the eye) and as a sentence (for a screen reader). */
function perDay(days: readonly string[], counts: readonly number[]): HTMLElement {
  const top = Math.max(1, ...counts);
  const bars = el('span', { class: 'bars', 'aria-hidden': 'true' });
  counts.forEach((n, i) => {
    const bar = el('span', { class: 'bar', title: `${days[i] ?? ''}：${n}` });
    bar.style.height = `${Math.max(n > 0 ? 12 : 2, Math.round((100 * n) / top))}%`;
    bars.append(bar);
  });
  const said = counts.map((n, i) => `${(days[i] ?? '').slice(5)} ${n}`).join('，');
  return el(
    'div',
    { class: 'per-day' },
    el('span', { class: 'label' }, '每日'),
    bars,
    el('span', { class: 'sr-only' }, `每日次数：${said}`),
  );
}

/**
 * 问题分组: the misses of a range (handoffs, fallbacks, weak answers, 👎, low ratings) grouped by similar
 * question, region or intent; each group with its counts per day, sample questions and what the bot replied,
 * the closest clauses, and an export of the group as a labelled set.
 */
export class GroupsTab {
  readonly root = el('section', { class: 'tab groups' });
  private readonly by = select(GROUP_BY, { id: 'groups-by', name: 'by' });
  private readonly days = select(RANGES, { id: 'groups-days', name: 'days' });
  private readonly kind = select(KINDS, { id: 'groups-kind', name: 'kind' });
  private readonly region = el('input', { id: 'groups-region', name: 'region', list: 'groups-regions', spellcheck: 'false' });
  private readonly intent = el('input', { id: 'groups-intent', name: 'intent', list: 'groups-intents', spellcheck: 'false' });
  private readonly regions = el('datalist', { id: 'groups-regions' });
  private readonly intents = el('datalist', { id: 'groups-intents' });
  private readonly status = el('p', { class: 'status', role: 'status' });
  private readonly list = el('ol', { class: 'group-list', id: 'groups' });
  private readonly sets: SavedSets;
  private loading = false;

  constructor(private readonly api: OpsApi) {
    this.days.value = '7';
    this.sets = new SavedSets(api);
    const filters = el(
      'form',
      { class: 'filters', 'aria-label': '筛选' },
      field('groups-by', '分组方式', this.by),
      field('groups-days', '时间范围', this.days),
      field('groups-kind', '问题类型', this.kind),
      field('groups-region', '地区', this.region),
      this.regions,
      field('groups-intent', '意图', this.intent),
      this.intents,
      el('button', { type: 'submit', class: 'primary' }, '查询'),
    );
    filters.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.load();
    });
    for (const s of [this.by, this.days, this.kind]) s.addEventListener('change', () => void this.load());
    this.root.append(el('h2', {}, '问题分组'), filters, this.status, this.list, this.sets.root);
  }

  async load(): Promise<void> {
    if (this.loading) return;
    this.loading = true;
    this.status.textContent = '载入中…';
    const q = new URLSearchParams({ by: this.by.value, days: this.days.value });
    if (this.kind.value) q.set('kind', this.kind.value);
    if (this.region.value.trim()) q.set('region', this.region.value.trim());
    if (this.intent.value.trim()) q.set('intent', this.intent.value.trim());
    try {
      const r = await this.api.get<GroupsResponse>(`/api/ops/groups?${q}`);
      this.render(r);
      this.status.textContent = r.groups.length > 0 ? `共 ${r.total} 次未能解决，分为 ${r.groups.length} 组` : '这段时间没有未能解决的问题';
    } catch (error) {
      this.status.textContent = `分组载入失败：${errorText(error)}`;
    } finally {
      this.loading = false;
    }
    void this.sets.load();
  }

  private render(r: GroupsResponse): void {
    const regions = new Set<string>();
    const intents = new Set<string>();
    for (const g of r.groups) {
      for (const k of Object.keys(g.regions)) regions.add(k);
      for (const k of Object.keys(g.intents)) intents.add(k);
    }
    this.regions.replaceChildren(...[...regions].sort().map((v) => el('option', { value: v })));
    this.intents.replaceChildren(...[...intents].sort().map((v) => el('option', { value: v })));
    this.list.replaceChildren(...r.groups.map((g, i) => this.group(r, g, i)));
  }

  private group(r: GroupsResponse, g: MissGroup, i: number): HTMLLIElement {
    const titleId = `group-${i}-title`;
    const item = el('li', { class: 'group', 'data-key': g.key, 'aria-labelledby': titleId });
    const head = el(
      'div',
      { class: 'group-head' },
      el('h3', { id: titleId }, g.label || '（无标签）'),
      el('span', { class: 'count' }, `${g.count} 次`),
    );
    const facts = el(
      'dl',
      { class: 'facts' },
      el('dt', {}, '类型'),
      el('dd', {}, tally(g.kinds as Record<string, number>, KIND)),
      el('dt', {}, '地区'),
      el('dd', {}, tally(g.regions)),
      el('dt', {}, '意图'),
      el('dd', {}, tally(g.intents)),
    );
    const samples = el(
      'ul',
      { class: 'samples', 'aria-label': '问题示例' },
      ...g.samples.map((s) =>
        el(
          'li',
          { class: 'sample', 'data-id': String(s.id) },
          el('p', { class: 'q' }, el('span', { class: 'who' }, '市民问'), s.text),
          el(
            'p',
            { class: 'a' },
            el('span', { class: 'who' }, `机器人${s.replyType ? `（${labelOf(REPLY_TYPE, s.replyType)}）` : ''}答`),
            s.reply || '—',
          ),
          el(
            'p',
            { class: 'muted' },
            time(s.at, dateTime(s.at)),
            ` · ${labelOf(KIND, s.kind)} · ${labelOf(CHANNEL, s.channel)} · ${s.region ?? '地区未知'}${s.intent ? ` · ${s.intent}` : ''}${s.rule ? ` · 规则 ${s.rule}` : ''}`,
          ),
        ),
      ),
    );
    const clauses =
      g.clauses.length > 0
        ? el(
            'ul',
            { class: 'clauses', 'aria-label': '最接近的条款' },
            ...g.clauses.map((c) =>
              el(
                'li',
                {},
                el(
                  'a',
                  { href: `/notices/${encodeURIComponent(c.notice)}#${encodeURIComponent(c.clause)}`, target: '_blank', rel: 'noopener' },
                  `${c.notice} ${c.clause}`,
                ),
                ` ${c.title ?? ''} · 出现 ${c.n} 次 · 最高分 ${c.best.toFixed(2)}`,
              ),
            ),
          )
        : el('p', { class: 'muted' }, '检索没有找到相近的条款');
    const toggle = button('导出为评测集', 'export-toggle', { 'aria-expanded': 'false' });
    const holder = el('div', { class: 'export-holder', hidden: '' });
    toggle.addEventListener('click', () => {
      const open = holder.hidden;
      if (open && !holder.firstChild) {
        const name = `${r.by}-${r.days[r.days.length - 1]?.replace(/-/g, '') ?? 'day'}-${i + 1}`;
        holder.append(new ExportForm(this.api, g, name, () => void this.sets.load()).root);
      }
      holder.hidden = !open;
      toggle.setAttribute('aria-expanded', String(open));
      if (open) holder.querySelector<HTMLElement>('input')?.focus();
    });
    item.append(
      head,
      perDay(r.days, g.perDay),
      facts,
      el('h4', {}, '问题示例与机器人的回复'),
      samples,
      el('h4', {}, '最接近的条款'),
      clauses,
      el('div', { class: 'row' }, toggle),
      holder,
    );
    return item;
  }
}
