import { el } from '../../console/dom.js';
import { errorText, type OpsApi } from './api.js';
import type { StagedFile } from './shapes.js';
import { size, when } from './when.js';

/**
 * The staging area: notices (`.txt`, any encoding: their bytes are sent as they are) and sidecars
 * (`.yaml`) uploaded for the next publish, each removable.
 */
export class StagingPanel {
  readonly root = el('section', { class: 'block', 'aria-labelledby': 'staging-title' });
  private readonly input = el('input', { type: 'file', id: 'staging-file', multiple: '', accept: '.txt,.yaml,text/plain' });
  private readonly upload = el('button', { type: 'submit', class: 'primary' }, '上传到暂存区');
  private readonly list = el('ul', { class: 'rows', id: 'staging' });
  private readonly status = el('p', { class: 'status', role: 'status', id: 'staging-status' });

  constructor(
    private readonly api: OpsApi,
    private readonly changed: (files: StagedFile[]) => void,
  ) {
    const form = el(
      'form',
      { class: 'upload', 'aria-describedby': 'staging-help' },
      el('label', { for: 'staging-file' }, '选择通知文件'),
      this.input,
      this.upload,
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.send();
    });
    this.root.append(
      el('h3', { id: 'staging-title' }, '1. 暂存区'),
      el(
        'p',
        { class: 'help', id: 'staging-help' },
        '通知正文为 .txt（GBK 或 UTF-8 均可），附注文件为同名 .yaml。上传后先预览，确认无误再发布。',
      ),
      form,
      this.status,
      this.list,
    );
  }

  async load(): Promise<StagedFile[]> {
    try {
      const { files } = await this.api.get<{ files: StagedFile[] }>('/api/ops/staging');
      this.render(files);
      return files;
    } catch (error) {
      this.status.textContent = `暂存区载入失败：${errorText(error)}`;
      return [];
    }
  }

  private render(files: StagedFile[]): void {
    this.list.replaceChildren(...files.map((f) => this.row(f)));
    if (files.length === 0) this.list.append(el('li', { class: 'empty' }, '暂存区是空的'));
    this.changed(files);
  }

  private row(f: StagedFile): HTMLLIElement {
    const remove = el('button', { type: 'button', class: 'remove', 'aria-label': `移除 ${f.name}` }, '移除');
    remove.addEventListener('click', async () => {
      remove.disabled = true;
      try {
        await this.api.delete(`/api/ops/staging/${encodeURIComponent(f.name)}`);
        this.status.textContent = `已移除 ${f.name}`;
      } catch (error) {
        this.status.textContent = `移除失败：${errorText(error)}`;
      }
      await this.load();
    });
    return el(
      'li',
      { 'data-file': f.name },
      el('span', { class: 'name' }, f.name),
      el('span', { class: 'muted' }, ` ${size(f.size)} · `),
      when(f.at),
      remove,
    );
  }

  private async send(): Promise<void> {
    const files = [...(this.input.files ?? [])];
    if (files.length === 0) {
      this.status.textContent = '请先选择文件';
      this.input.focus();
      return;
    }
    this.upload.disabled = true;
    const done: string[] = [];
    try {
      for (const f of files) {
        this.status.textContent = `上传 ${f.name}…`;
        await this.api.put(`/api/ops/staging/${encodeURIComponent(f.name)}`, await f.arrayBuffer());
        done.push(f.name);
      }
      this.status.textContent = `已上传 ${done.join('、')}`;
      this.input.value = '';
    } catch (error) {
      const which = files[done.length]?.name ?? '';
      this.status.textContent = `${which} 上传失败：${errorText(error)}`;
    } finally {
      this.upload.disabled = false;
      await this.load();
    }
  }
}
