import { el } from '../../console/dom.js';
import { noticeDiff } from './diff.js';
import { CHANGE, FACT, labelOf, META_FIELD, NOTICE_KIND, percent, REPLY_TYPE, SOURCE } from './labels.js';
import type { Changed, NoticeReport, Preview, Summary } from './shapes.js';

const META_SHOWN = ['region', 'authority', 'docNumber', 'date', 'title', 'kind', 'expires', 'effective'] as const;

function value(n: NoticeReport, field: (typeof META_SHOWN)[number]): string {
  const v = n.meta[field];
  if (field === 'kind') return labelOf(NOTICE_KIND, v);
  if (field === 'region' && v) return `${v}${n.regionLevel ? '' : '（不是已知地名）'}`;
  return v ?? '—';
}

/** One staged notice as the kb build reads it: metadata with where each came from, clauses, facts, damage. */
function report(n: NoticeReport): HTMLElement {
  const meta = el('dl', { class: 'facts' });
  for (const f of META_SHOWN) {
    const src = n.metaSources[f];
    meta.append(
      el('dt', {}, labelOf(META_FIELD, f)),
      el(
        'dd',
        { 'data-field': f },
        value(n, f),
        src && src !== 'text' && n.meta[f] ? el('span', { class: 'muted' }, `（来自${labelOf(SOURCE, src)}）`) : '',
      ),
    );
  }
  const c = n.clauses;
  const facts = Object.entries(n.facts)
    .filter(([k]) => k !== 'total')
    .map(([k, v]) => `${labelOf(FACT, k)} ${v}`)
    .join('、');
  meta.append(
    el('dt', {}, '条款'),
    el('dd', {}, `${c.total} 条（政策 ${c.policy}、前言 ${c.preamble}、落款 ${c.signature}、附件 ${c.attachment}）`),
    el('dt', {}, '要点'),
    el('dd', {}, `${n.facts.total} 个${facts ? `：${facts}` : ''}`),
    el('dt', {}, '编码'),
    el('dd', {}, n.encoding),
  );
  const box = el('article', { class: 'report', 'data-notice': n.id }, el('h4', {}, n.id), meta);
  if (n.damage.length > 0) {
    box.append(
      el('p', { class: 'warn' }, `疑似损坏 ${n.damage.length} 处：`),
      el('ul', { class: 'damage' }, ...n.damage.map((d) => el('li', {}, `“${d.context}”（${d.reason}）`))),
    );
  }
  if (n.notes.length > 0) box.append(el('ul', { class: 'notes muted' }, ...n.notes.map((t) => el('li', {}, t))));
  return box;
}

function rate(t: { pass: number; total: number }): string {
  return t.total > 0 ? `${t.pass}/${t.total}（${percent(t.pass / t.total)}）` : '—';
}

function summaryRow(name: string, live: Summary, staged: Summary): HTMLTableRowElement {
  return el(
    'tr',
    {},
    el('th', { scope: 'row' }, name),
    el('td', {}, rate(live.items)),
    el('td', {}, rate(staged.items)),
    el('td', {}, rate(live.turns)),
    el('td', {}, rate(staged.turns)),
  );
}

function reply(side: Changed['before'], who: string): HTMLElement {
  return el(
    'div',
    { class: `side ${side.pass ? 'pass' : 'fail'}` },
    el('p', { class: 'who' }, `${who} · ${labelOf(REPLY_TYPE, side.type)} · ${side.pass ? '✓ 通过' : '✗ 未通过'}`),
    el('p', { class: 'text' }, side.text),
    side.citations.length > 0 ? el('p', { class: 'muted' }, `引用：${side.citations.join('、')}`) : '',
    !side.pass && side.why && side.why.length > 0 ? el('p', { class: 'muted' }, `未通过原因：${side.why.join('；')}`) : '',
  );
}

function changedRow(c: Changed): HTMLLIElement {
  return el(
    'li',
    { class: `changed ${c.change}`, 'data-change': c.change },
    el(
      'p',
      { class: 'q' },
      el('span', { class: `badge ${c.change}` }, labelOf(CHANGE, c.change)),
      ` ${c.item}#${c.turn} `,
      c.region ? `（${c.region}）` : '',
      c.q,
    ),
    el('div', { class: 'sides' }, reply(c.before, '线上'), reply(c.after, '更新后')),
  );
}

/** The preview of the staged notices: the kb report, the diff against live, and the eval live vs staged. */
export function renderPreview(p: Preview): HTMLElement {
  const root = el('div', { class: 'preview', id: 'preview-result' });
  const reports = el('section', { class: 'block', 'aria-labelledby': 'pv-report' }, el('h3', { id: 'pv-report' }, '解析报告'));
  reports.append(...p.report.notices.map(report));
  if (p.report.skipped.length > 0) {
    reports.append(
      el('p', { class: 'warn' }, '以下文件无法解析，不会发布：'),
      el('ul', { class: 'skipped' }, ...p.report.skipped.map((s) => el('li', {}, `${s.file}：${s.message}（${s.code}）`))),
    );
  }
  const diff = el('section', { class: 'block', 'aria-labelledby': 'pv-diff' }, el('h3', { id: 'pv-diff' }, '与线上对比'));
  if (p.gone.length > 0) {
    diff.append(
      el('p', { class: 'warn' }, '以下线上通知在更新后将无法解析（发布会让它们下线）：'),
      el('ul', { class: 'gone', id: 'pv-gone' }, ...p.gone.map((g) => el('li', {}, `${g.notice}：${g.reason}`))),
    );
  }
  diff.append(...(p.diff.length > 0 ? p.diff.map(noticeDiff) : [el('p', { class: 'muted' }, '没有变化')]));

  const evalBox = el('section', { class: 'block', 'aria-labelledby': 'pv-eval' }, el('h3', { id: 'pv-eval' }, '评测对比'));
  const verdict = el(
    'p',
    { class: `verdict ${p.belowFloor ? 'bad' : 'good'}`, id: 'pv-verdict' },
    `通过率：线上 ${percent(p.overall.live)} → 更新后 ${percent(p.overall.staged)}；发布下限 ${percent(p.floor)}。`,
    p.belowFloor ? '低于下限，发布需要确认。' : '不低于下限。',
  );
  const table = el(
    'table',
    { class: 'eval' },
    el('caption', {}, '各评测集通过情况（条目、轮次）'),
    el(
      'tr',
      {},
      el('th', { scope: 'col' }, '评测集'),
      el('th', { scope: 'col' }, '条目·线上'),
      el('th', { scope: 'col' }, '条目·更新后'),
      el('th', { scope: 'col' }, '轮次·线上'),
      el('th', { scope: 'col' }, '轮次·更新后'),
    ),
    ...p.sets.map((s) => summaryRow(s.name, s.live, s.staged)),
  );
  evalBox.append(verdict, el('div', { class: 'scroll' }, table));
  const changed = p.sets.flatMap((s) => s.changed.filter((c) => c.change !== 'same' || c.before.text !== c.after.text));
  evalBox.append(
    el('h4', {}, `会变化的回复（${changed.length}）`),
    changed.length > 0
      ? el('ul', { class: 'changes', id: 'pv-changes' }, ...changed.map(changedRow))
      : el('p', { class: 'muted' }, '没有回复会变化'),
  );
  root.append(reports, diff, evalBox);
  return root;
}
