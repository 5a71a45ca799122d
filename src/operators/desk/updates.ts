import { button, el } from '../../console/dom.js';
import { ApiError, errorText, type OpsApi } from './api.js';
import { HistoryPanel } from './history.js';
import { percent } from './labels.js';
import { renderPreview } from './preview.js';
import type { PublishRecord, StagedFile } from './shapes.js';
import { StagingPanel } from './staging.js';
import { type RawPreview, readPreview } from './wire.js';

/**
 * 通知更新: upload to staging, preview (the kb report, the diff against live, the eval live vs staged),
 * publish what was previewed (its fingerprint; below the eval floor only with 仍然发布), the publish history
 * and roll back.
 */
export class UpdatesTab {
  readonly root = el('section', { class: 'tab updates' });
  private readonly staging: StagingPanel;
  private readonly history: HistoryPanel;
  private readonly previewButton = el('button', { type: 'button', class: 'primary', id: 'preview' }, '预览');
  private readonly previewStatus = el('p', { class: 'status', role: 'status', id: 'preview-status' });
  private readonly result = el('div', { class: 'preview-holder' });
  private readonly note = el('input', { id: 'publish-note', name: 'note', maxlength: '200' });
  private readonly publishButton = el('button', { type: 'submit', class: 'primary', id: 'publish', disabled: '' }, '发布');
  private readonly refusal = el('div', { class: 'refusal', id: 'publish-refusal', role: 'alert', hidden: '' });
  private readonly publishStatus = el('p', { class: 'status', role: 'status', id: 'publish-status' });
  private fingerprint: string | null = null;
  private staged = 0;

  constructor(private readonly api: OpsApi) {
    this.staging = new StagingPanel(api, (files) => this.stagedChanged(files));
    this.history = new HistoryPanel(api, () => {
      this.forget('');
      void this.staging.load();
    });
    this.previewButton.addEventListener('click', () => void this.preview());
    const publish = el(
      'form',
      { class: 'publish-form', 'aria-label': '发布' },
      el('label', { for: 'publish-note' }, '发布备注（可空）'),
      this.note,
      this.publishButton,
    );
    publish.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.publish(false);
    });
    const previewBlock = el(
      'section',
      { class: 'block', 'aria-labelledby': 'preview-title' },
      el('h3', { id: 'preview-title' }, '2. 预览与发布'),
      el('p', { class: 'help' }, '预览会用暂存的通知构建知识库，与线上对比，并用评测集（含从问题分组导出的）比较回复。'),
      el('div', { class: 'row' }, this.previewButton),
      this.previewStatus,
      this.result,
      publish,
      this.refusal,
      this.publishStatus,
    );
    this.root.append(el('h2', {}, '通知更新'), this.staging.root, previewBlock, this.history.root);
  }

  async load(): Promise<void> {
    await Promise.all([this.staging.load(), this.history.load()]);
  }

  private stagedChanged(files: StagedFile[]): void {
    // Anything staged since the preview makes it stale: the server would refuse its fingerprint.
    if (this.fingerprint && files.length !== this.staged) this.forget('暂存区有变化，请重新预览');
    this.staged = files.length;
    this.previewButton.disabled = files.length === 0;
  }

  /** Drops the preview shown (after a publish, a rollback, or a change to the staging area). */
  private forget(message: string): void {
    this.fingerprint = null;
    this.publishButton.disabled = true;
    this.refusal.hidden = true;
    this.result.replaceChildren();
    this.previewStatus.textContent = message;
  }

  private async preview(): Promise<void> {
    this.forget('预览中：构建知识库并运行评测，可能需要一些时间…');
    this.previewButton.disabled = true;
    this.publishStatus.textContent = '';
    try {
      const p = readPreview(await this.api.post<RawPreview>('/api/ops/preview'));
      this.fingerprint = p.fingerprint;
      this.staged = p.staged.length;
      this.result.replaceChildren(renderPreview(p));
      this.publishButton.disabled = false;
      this.previewStatus.textContent = `已预览 ${p.staged.map((f) => f.name).join('、')}；评测通过率 ${percent(p.overall.live)} → ${percent(p.overall.staged)}`;
    } catch (error) {
      this.previewStatus.textContent = `预览失败：${errorText(error)}`;
    } finally {
      this.previewButton.disabled = this.staged === 0;
    }
  }

  private async publish(confirm: boolean): Promise<void> {
    if (!this.fingerprint) return;
    this.publishButton.disabled = true;
    this.refusal.hidden = true;
    this.publishStatus.textContent = '发布中…';
    const note = this.note.value.trim();
    try {
      const r = await this.api.post<PublishRecord>('/api/ops/publish', {
        fingerprint: this.fingerprint,
        ...(confirm ? { confirm: true } : {}),
        ...(note ? { note } : {}),
      });
      this.note.value = '';
      this.forget('');
      this.publishStatus.textContent = `已发布 #${r.id}：${[...r.files.added, ...r.files.replaced].join('、')}，新通知已上线`;
      await this.load();
    } catch (error) {
      this.publishStatus.textContent = '';
      if (error instanceof ApiError && error.code === 'HL_ERR_EVAL_BELOW_FLOOR') this.refuse(error);
      else if (error instanceof ApiError && error.code === 'HL_ERR_STAGED_CHANGED') this.forget(`未发布：${errorText(error)}`);
      else {
        this.publishStatus.textContent = `发布失败：${errorText(error)}`;
        this.publishButton.disabled = false;
      }
    }
  }

  /** The server refused: the eval is below the floor. Say so, and offer 仍然发布 (sent with confirm). */
  private refuse(error: ApiError): void {
    const anyway = button('仍然发布', 'danger', { id: 'publish-confirm' });
    const cancel = button('不发布', 'cancel');
    anyway.addEventListener('click', () => void this.publish(true));
    cancel.addEventListener('click', () => {
      this.refusal.hidden = true;
      this.publishButton.disabled = false;
      this.publishButton.focus();
    });
    this.refusal.replaceChildren(
      el('p', {}, `未发布：${errorText(error)}`),
      el('p', {}, '更新后评测通过率低于发布下限。请先查看上面“会变化的回复”；确认无误才选择仍然发布，此次发布会记录为“低于下限，已确认”。'),
      el('div', { class: 'row' }, anyway, cancel),
    );
    this.refusal.hidden = false;
    anyway.focus();
  }
}
