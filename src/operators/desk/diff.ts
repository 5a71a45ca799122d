import { el } from '../../console/dom.js';
import { CLAUSE_STATUS, FACT, labelOf, META_FIELD, NOTICE_STATUS } from './labels.js';
import type { NoticeDiff } from './shapes.js';

type Clause = NoticeDiff['clauses'][number];

/**
 * A changed clause's text as one diff: kept text plain, added text in <ins>, removed text in <del>, each
 * also said in words for a screen reader (strike-through and underline are not read out).
 */
function changedText(c: Clause): HTMLElement {
  const box = el('p', { class: 'diff-text' });
  if (c.parts && c.parts.length > 0) {
    for (const p of c.parts) {
      if (p.op === '=') box.append(p.text);
      else if (p.op === '+')
        box.append(el('ins', {}, el('span', { class: 'sr-only' }, '［新增：'), p.text, el('span', { class: 'sr-only' }, '］')));
      else box.append(el('del', {}, el('span', { class: 'sr-only' }, '［删除：'), p.text, el('span', { class: 'sr-only' }, '］')));
    }
    return box;
  }
  // Without parts the server gave both texts: show them one above the other.
  return el(
    'div',
    { class: 'diff-text' },
    el('p', {}, el('span', { class: 'who' }, '原文'), el('del', {}, c.before ?? '')),
    el('p', {}, el('span', { class: 'who' }, '新文'), el('ins', {}, c.after ?? '')),
  );
}

function clauseRow(c: Clause): HTMLLIElement {
  const row = el('li', { class: `clause ${c.status}`, 'data-status': c.status, 'data-path': c.path });
  row.append(el('span', { class: `badge ${c.status}` }, labelOf(CLAUSE_STATUS, c.status)), el('span', { class: 'path' }, c.path));
  if (c.status === 'changed') row.append(changedText(c));
  else if (c.status === 'new') row.append(el('p', { class: 'diff-text' }, el('ins', {}, c.after ?? '')));
  else if (c.status === 'gone') row.append(el('p', { class: 'diff-text' }, el('del', {}, c.before ?? '')));
  return row;
}

/** One notice's differences from the live knowledge base: its metadata, its clauses and its facts. */
export function noticeDiff(d: NoticeDiff): HTMLElement {
  const counts = { new: 0, changed: 0, gone: 0, same: 0 };
  for (const c of d.clauses) counts[c.status]++;
  const box = el('article', { class: 'notice-diff', 'data-notice': d.notice });
  box.append(
    el(
      'h4',
      {},
      `${d.notice} `,
      el('span', { class: `badge ${d.status}` }, labelOf(NOTICE_STATUS, d.status)),
      el('span', { class: 'muted' }, ` 条款：新增 ${counts.new}、修改 ${counts.changed}、删除 ${counts.gone}、未变 ${counts.same}`),
    ),
  );
  if (d.meta.length > 0) {
    const t = el('table', { class: 'meta-diff' }, el('caption', {}, '元数据变化'));
    t.append(
      el('tr', {}, el('th', { scope: 'col' }, '字段'), el('th', { scope: 'col' }, '线上'), el('th', { scope: 'col' }, '暂存')),
      ...d.meta.map((m) =>
        el('tr', {}, el('th', { scope: 'row' }, labelOf(META_FIELD, m.field)), el('td', {}, m.from ?? '—'), el('td', {}, m.to ?? '—')),
      ),
    );
    box.append(t);
  }
  const shown = d.clauses.filter((c) => c.status !== 'same');
  box.append(
    shown.length > 0
      ? el('ul', { class: 'clause-diff', 'aria-label': `${d.notice} 的条款变化` }, ...shown.map(clauseRow))
      : el('p', { class: 'muted' }, '条款没有变化'),
  );
  const facts = [...d.facts.new.map((f) => ['+', f] as const), ...d.facts.gone.map((f) => ['-', f] as const)];
  if (facts.length > 0) {
    box.append(
      el(
        'ul',
        { class: 'fact-diff', 'aria-label': '要点变化' },
        ...facts.map(([op, f]) =>
          el(
            'li',
            { class: op === '+' ? 'new' : 'gone' },
            `${op === '+' ? '新增' : '删除'} · ${labelOf(FACT, f.type)} · ${f.clause}：`,
            op === '+' ? el('ins', {}, f.text) : el('del', {}, f.text),
          ),
        ),
      ),
    );
  }
  return box;
}
