/**
 * Charts on canvas with Chart.js, registering only what the desk draws (bars, lines, two linear axes and a
 * category axis, the legend and tooltips). Each chart is a <figure>: a heading, the canvas as an image with
 * an accessible name, and the same numbers as a visually hidden table for screen readers.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartDataset,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { el } from '../../console/dom.js';

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip);
Chart.defaults.font.family = 'system-ui,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif';
Chart.defaults.color = '#3d434b';
Chart.defaults.animation = false;

/** Okabe–Ito: told apart with the common kinds of colour blindness. */
export const PALETTE = ['#0072b2', '#e69f00', '#009e73', '#d55e00', '#cc79a7', '#56b4e9', '#7a6a00', '#1d1d1f'];

export interface Series {
  label: string;
  values: (number | null)[];
  color?: string;
  /** Drawn as a line over bars (a mixed chart), on the right-hand axis when `right`. */
  line?: boolean;
  right?: boolean;
}

export interface ChartSpec {
  /** Bars stacked per category (counts by channel); `percent` stacks to 100%. */
  stacked?: boolean;
  percent?: boolean;
  /** Categories down the side (long labels: the unanswered topics). */
  horizontal?: boolean;
  /** The right-hand axis's range (ratings 1–5). */
  right?: { min: number; max: number; title: string };
  /** How a value is written in the table (a share as `62%`). */
  format?: (v: number) => string;
}

export class ChartPanel {
  readonly root: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly box: HTMLElement;
  private readonly table = el('table');
  private readonly empty = el('p', { class: 'empty', hidden: '' }, '这段时间没有数据');
  private chart: Chart | null = null;

  constructor(
    readonly id: string,
    private readonly title: string,
    private readonly spec: ChartSpec = {},
  ) {
    const heading = el('h3', { id: `${id}-title` }, title);
    this.canvas = el('canvas', { id: `${id}-canvas`, role: 'img', 'aria-label': title });
    this.box = el('div', { class: `chart-box${spec.horizontal ? ' tall' : ''}` }, this.canvas);
    this.root = el(
      'figure',
      { class: 'chart', id, 'aria-labelledby': `${id}-title` },
      heading,
      this.box,
      this.empty,
      // A table is not clipped by overflow: the hidden box around it is.
      el('div', { class: 'sr-only' }, this.table),
    );
  }

  /** Draws the chart anew and rewrites its table: one row per category, one column per series. */
  render(categories: readonly string[], series: readonly Series[], summary: string): void {
    this.chart?.destroy();
    this.chart = null;
    const any = series.some((s) => s.values.some((v) => v !== null && v !== 0));
    this.empty.hidden = any;
    this.box.hidden = !any;
    this.canvas.setAttribute('aria-label', `${this.title}：${summary}（数据见下表）`);
    this.renderTable(categories, series);
    if (!any) return;
    const { stacked = false, percent = false, horizontal = false, right } = this.spec;
    const datasets = series.map((s, i): ChartDataset<'bar' | 'line', (number | null)[]> => {
      const color = s.color ?? PALETTE[i % PALETTE.length] ?? '#0072b2';
      return s.line
        ? {
            type: 'line',
            label: s.label,
            data: [...s.values],
            borderColor: color,
            backgroundColor: color,
            yAxisID: s.right ? 'y2' : 'y',
            spanGaps: true,
            pointRadius: 3,
            order: 0,
          }
        : { type: 'bar', label: s.label, data: [...s.values], backgroundColor: color, borderColor: color, order: 1 };
    });
    const valueAxis = {
      stacked,
      beginAtZero: true,
      ...(percent ? { max: 100, ticks: { callback: (v: string | number) => `${v}%` } } : { ticks: { precision: 0 } }),
    };
    this.chart = new Chart(this.canvas, {
      type: 'bar',
      data: { labels: [...categories], datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: horizontal ? 'y' : 'x',
        interaction: { mode: 'index', intersect: false },
        // The legend names the series (a lone channel too); a single unnamed measure needs none.
        plugins: { legend: { display: !horizontal, position: 'bottom' } },
        scales: {
          [horizontal ? 'y' : 'x']: { stacked, ticks: { autoSkip: !horizontal, maxRotation: 0 } },
          [horizontal ? 'x' : 'y']: valueAxis,
          ...(right
            ? {
                y2: {
                  position: 'right',
                  min: right.min,
                  max: right.max,
                  grid: { drawOnChartArea: false },
                  title: { display: true, text: right.title },
                },
              }
            : {}),
        },
      },
    });
  }

  private renderTable(categories: readonly string[], series: readonly Series[]): void {
    const format = this.spec.format ?? String;
    const head = el('tr', {}, el('th', { scope: 'col' }, '项目'), ...series.map((s) => el('th', { scope: 'col' }, s.label)));
    const rows = categories.map((c, i) =>
      el(
        'tr',
        {},
        el('th', { scope: 'row' }, c),
        ...series.map((s) => {
          const v = s.values[i];
          return el('td', {}, v === null || v === undefined ? '—' : format(v));
        }),
      ),
    );
    this.table.replaceChildren(el('caption', {}, this.title), el('thead', {}, head), el('tbody', {}, ...rows));
  }

  destroy(): void {
    this.chart?.destroy();
    this.chart = null;
  }
}
