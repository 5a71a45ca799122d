import { el, select } from '../../console/dom.js';
import type { OpsApi } from './api.js';
import { errorText } from './api.js';
import { ChartPanel } from './charts.js';
import { CHANNEL, labelOf, REPLY_TYPE } from './labels.js';
import type { TrendsResponse } from './shapes.js';

const RANGES: ReadonlyArray<readonly [string, string]> = [
  ['7', '近 7 天'],
  ['14', '近 14 天'],
  ['30', '近 30 天'],
  ['90', '近 90 天'],
];

/** `2026-12-04` → `12-04`: the axis has room for the month and day only. */
function short(day: string): string {
  return day.length === 10 ? day.slice(5) : day;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** 趋势: bot replies per day by channel and by reply type, the top unanswered topics, 👍/👎 and ratings. */
export class TrendsTab {
  readonly root = el('section', { class: 'tab trends' });
  private readonly range = select(RANGES, { id: 'trends-days' });
  private readonly status = el('p', { class: 'status', role: 'status' });
  private readonly byChannel = new ChartPanel('chart-channel', '每日提问量（按渠道）', { stacked: true });
  private readonly byType = new ChartPanel('chart-type', '每日回复（按回复类型）', { stacked: true });
  private readonly unanswered = new ChartPanel('chart-unanswered', '未解答问题热点', { horizontal: true });
  private readonly votes = new ChartPanel('chart-votes', '回答评价：点赞/点踩占比', {
    stacked: true,
    percent: true,
    format: (v) => `${Math.round(v)}%`,
  });
  private readonly ratings = new ChartPanel('chart-ratings', '人工服务评分', {
    right: { min: 1, max: 5, title: '平均分' },
    format: (v) => (Number.isInteger(v) ? String(v) : v.toFixed(2)),
  });
  private loading = false;

  constructor(private readonly api: OpsApi) {
    this.range.value = '30';
    this.range.addEventListener('change', () => void this.load());
    this.root.append(
      el('div', { class: 'toolbar' }, el('h2', {}, '趋势'), el('label', { for: 'trends-days' }, '时间范围'), this.range, this.status),
      el('div', { class: 'charts' }, this.byChannel.root, this.byType.root, this.unanswered.root, this.votes.root, this.ratings.root),
    );
  }

  async load(): Promise<void> {
    if (this.loading) return;
    this.loading = true;
    this.status.textContent = '载入中…';
    try {
      const t = await this.api.get<TrendsResponse>(`/api/ops/trends?days=${this.range.value}`);
      this.render(t);
      this.status.textContent = `${t.days[0] ?? ''} 至 ${t.days[t.days.length - 1] ?? ''}`;
    } catch (error) {
      this.status.textContent = `趋势载入失败：${errorText(error)}`;
    } finally {
      this.loading = false;
    }
  }

  private render(t: TrendsResponse): void {
    const days = t.days.map(short);
    const total = sum(t.byChannel.flatMap((c) => c.counts));
    this.byChannel.render(
      days,
      t.byChannel.map((c) => ({ label: labelOf(CHANNEL, c.channel), values: c.counts })),
      `共 ${total} 条，${t.byChannel.map((c) => `${labelOf(CHANNEL, c.channel)} ${sum(c.counts)}`).join('，')}`,
    );
    const types = [...t.byType].sort((a, b) => typeRank(a.type) - typeRank(b.type));
    this.byType.render(
      days,
      types.map((c) => ({ label: labelOf(REPLY_TYPE, c.type), values: c.counts, color: TYPE_COLOURS[c.type] })),
      types.map((c) => `${labelOf(REPLY_TYPE, c.type)} ${sum(c.counts)}`).join('，'),
    );
    this.unanswered.render(
      t.topUnanswered.map((u) => u.label),
      [{ label: '次数', values: t.topUnanswered.map((u) => u.count), color: '#d55e00' }],
      t.topUnanswered
        .slice(0, 3)
        .map((u) => `${u.label} ${u.count} 次`)
        .join('，') || '无',
    );
    const share = (n: number, of: number) => (of > 0 ? (100 * n) / of : null);
    const up = sum(t.feedback.map((f) => f.up));
    const down = sum(t.feedback.map((f) => f.down));
    this.votes.render(
      days,
      [
        { label: '点赞（有帮助）', values: t.feedback.map((f) => share(f.up, f.up + f.down)), color: '#009e73' },
        { label: '点踩（没帮助）', values: t.feedback.map((f) => share(f.down, f.up + f.down)), color: '#d55e00' },
      ],
      `共点赞 ${up} 次、点踩 ${down} 次${up + down > 0 ? `，点赞占 ${Math.round((100 * up) / (up + down))}%` : ''}`,
    );
    const rated = sum(t.feedback.map((f) => f.ratings));
    this.ratings.render(
      days,
      [
        { label: '评价数', values: t.feedback.map((f) => f.ratings), color: '#56b4e9' },
        { label: '低于满意', values: t.feedback.map((f) => f.low), color: '#cc79a7' },
        { label: '平均分', values: t.feedback.map((f) => f.average), color: '#1d1d1f', line: true, right: true },
      ],
      `共 ${rated} 次评价，低于满意 ${sum(t.feedback.map((f) => f.low))} 次`,
    );
  }
}

const TYPE_ORDER = ['answer', 'clarify', 'handoff', 'fallback'];

/** Reply types in the order a reply is tried (known ones first). */
function typeRank(type: string): number {
  const i = TYPE_ORDER.indexOf(type);
  return i < 0 ? TYPE_ORDER.length : i;
}

const TYPE_COLOURS: Readonly<Record<string, string>> = {
  answer: '#009e73',
  clarify: '#0072b2',
  handoff: '#e69f00',
  fallback: '#d55e00',
};
