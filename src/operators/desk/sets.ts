import { dateTime, el, time } from '../../console/dom.js';
import { errorText, type OpsApi } from './api.js';
import { download } from './download.js';
import type { SavedSet } from './shapes.js';

/** The labelled sets exported so far (kept on the server; the staged-notice eval runs them), each downloadable. */
export class SavedSets {
  readonly root = el('section', { class: 'sets', 'aria-labelledby': 'sets-title' });
  private readonly list = el('ul', { class: 'rows', id: 'sets' });
  private readonly status = el('p', { class: 'status', role: 'status' });

  constructor(private readonly api: OpsApi) {
    this.root.append(el('h3', { id: 'sets-title' }, '已导出的评测集'), this.list, this.status);
  }

  async load(): Promise<void> {
    try {
      const { sets } = await this.api.get<{ sets: SavedSet[] }>('/api/ops/sets');
      this.list.replaceChildren(...sets.map((s) => this.row(s)));
      this.status.textContent = sets.length === 0 ? '还没有导出过评测集' : '';
    } catch (error) {
      this.status.textContent = `评测集列表载入失败：${errorText(error)}`;
    }
  }

  private row(s: SavedSet): HTMLLIElement {
    const file = s.file ?? `ops-${s.name}.jsonl`;
    const get = el('button', { type: 'button', class: 'download' }, '下载');
    get.setAttribute('aria-label', `下载 ${file}`);
    get.addEventListener('click', async () => {
      try {
        download(file, await this.api.text(`/api/ops/sets/${encodeURIComponent(s.name)}`));
      } catch (error) {
        this.status.textContent = `下载失败：${errorText(error)}`;
      }
    });
    return el('li', { 'data-set': s.name }, el('span', { class: 'name' }, file), ` ${s.items} 条 · `, time(s.at, dateTime(s.at)), get);
  }
}
