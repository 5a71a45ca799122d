import { button, el } from '../../console/dom.js';
import { errorText, type OpsApi } from './api.js';
import { labelOf, NOTICE_STATUS, percent } from './labels.js';
import type { HistoryRecord, PublishRecord, RollbackRecord } from './shapes.js';
import { when } from './when.js';

const OUTCOME: Readonly<Record<string, string>> = { failed: '失败，已恢复原文件', interrupted: '中断，已恢复原文件' };

/** A change that did not finish: said in words, with the server's reason. */
function outcome(r: HistoryRecord): HTMLElement | string {
  if (!r.outcome || r.outcome === 'done') return '';
  return el('p', { class: 'warn' }, `${labelOf(OUTCOME, r.outcome)}${r.error ? `：${r.error}` : ''}`);
}

function publishRow(r: PublishRecord): HTMLLIElement {
  const files = [
    r.files.added.length > 0 ? `新增 ${r.files.added.join('、')}` : '',
    r.files.replaced.length > 0 ? `替换 ${r.files.replaced.join('、')}` : '',
  ]
    .filter(Boolean)
    .join('；');
  return el(
    'li',
    { class: 'publish', 'data-id': String(r.id), 'data-kind': 'publish' },
    el(
      'p',
      { class: 'line' },
      el('strong', {}, `发布 #${r.id}`),
      ` ${r.operator} · `,
      when(r.at),
      r.confirmedBelowFloor ? el('span', { class: 'badge worse' }, '低于下限，已确认') : '',
    ),
    el('p', {}, files || '无文件变化'),
    el(
      'ul',
      { class: 'notes' },
      ...r.notices.map((n) =>
        el(
          'li',
          {},
          `${n.id}（${labelOf(NOTICE_STATUS, n.status)}）：条款新增 ${n.clauses.new}、修改 ${n.clauses.changed}、删除 ${n.clauses.gone}；要点新增 ${n.facts.new}、删除 ${n.facts.gone}`,
        ),
      ),
    ),
    el(
      'p',
      { class: 'muted' },
      `评测通过率 ${percent(r.eval.live)} → ${percent(r.eval.staged)}${r.eval.floor !== undefined ? `（下限 ${percent(r.eval.floor)}）` : ''}${r.note ? ` · 备注：${r.note}` : ''}`,
    ),
  );
}

function rollbackRow(r: RollbackRecord): HTMLLIElement {
  const files = r.files
    ? [
        r.files.restored.length > 0 ? `恢复 ${r.files.restored.join('、')}` : '',
        r.files.removed.length > 0 ? `移除 ${r.files.removed.join('、')}` : '',
      ]
        .filter(Boolean)
        .join('；')
    : '';
  return el(
    'li',
    { class: 'rollback', 'data-id': String(r.id), 'data-kind': 'rollback', 'data-outcome': r.outcome ?? 'done' },
    el('p', { class: 'line' }, el('strong', {}, `回滚 #${r.id}`), ` 撤销了发布 #${r.of} · ${r.operator} · `, when(r.at)),
    outcome(r),
    files ? el('p', {}, files) : '',
    r.drift && r.drift.length > 0 ? el('p', { class: 'warn' }, `这些文件在发布后被改动过，已一并覆盖：${r.drift.join('、')}`) : '',
  );
}

/** 发布记录, newest first, and 回滚 of the latest publish (asked twice: a button, then 确认回滚). */
export class HistoryPanel {
  readonly root = el('section', { class: 'block', 'aria-labelledby': 'history-title' });
  private readonly list = el('ol', { class: 'rows history', id: 'history' });
  private readonly status = el('p', { class: 'status', role: 'status', id: 'history-status' });
  private readonly rollback = button('回滚最近一次发布', 'rollback', { id: 'rollback' });
  private readonly confirm = el('div', { class: 'confirm', hidden: '', role: 'group', 'aria-label': '确认回滚' });

  constructor(
    private readonly api: OpsApi,
    private readonly rolledBack: () => void,
  ) {
    const yes = button('确认回滚', 'danger', { id: 'rollback-confirm' });
    const no = button('取消', 'cancel');
    yes.addEventListener('click', () => void this.roll());
    no.addEventListener('click', () => this.ask(false));
    this.confirm.append(el('span', {}, '将知识库恢复到最近一次发布之前的状态。'), yes, no);
    this.rollback.addEventListener('click', () => this.ask(true));
    this.root.append(
      el('h3', { id: 'history-title' }, '3. 发布记录'),
      el('div', { class: 'row' }, this.rollback),
      this.confirm,
      this.status,
      this.list,
    );
  }

  private ask(yes: boolean): void {
    this.confirm.hidden = !yes;
    this.rollback.hidden = yes;
    (yes ? this.confirm.querySelector<HTMLElement>('.danger') : this.rollback)?.focus();
  }

  async load(): Promise<void> {
    try {
      const { publishes } = await this.api.get<{ publishes: HistoryRecord[] }>('/api/ops/publishes');
      this.list.replaceChildren(...publishes.map((r) => (r.kind === 'rollback' ? rollbackRow(r) : publishRow(r))));
      if (publishes.length === 0) this.list.append(el('li', { class: 'empty' }, '还没有发布过'));
    } catch (error) {
      this.status.textContent = `发布记录载入失败：${errorText(error)}`;
    }
  }

  private async roll(): Promise<void> {
    this.ask(false);
    this.rollback.disabled = true;
    this.status.textContent = '回滚中…';
    try {
      const r = await this.api.post<RollbackRecord>('/api/ops/rollback');
      this.status.textContent = `已回滚：撤销了发布 #${r.of}`;
      this.rolledBack();
    } catch (error) {
      this.status.textContent = `回滚失败：${errorText(error)}`;
    } finally {
      this.rollback.disabled = false;
      await this.load();
    }
  }
}
