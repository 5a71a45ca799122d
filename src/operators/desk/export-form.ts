import { el } from '../../console/dom.js';
import { errorText, type OpsApi } from './api.js';
import { download } from './download.js';
import { REPLY_TYPE } from './labels.js';
import type { ExportExpect, ExportResult, MissGroup } from './shapes.js';

const NAME = /^[a-z0-9-]{1,40}$/;
const TYPES = ['answer', 'clarify', 'handoff', 'fallback'] as const;

/** `a、b，c` or `a, b` → `['a', 'b', 'c']`. */
function words(text: string): string[] {
  return text
    .split(/[,，、;；\s]+/)
    .map((w) => w.trim())
    .filter((w) => w !== '');
}

/** The expectation part of `POST /api/ops/export`'s body. */
type ExportBody = { types: ExportExpect['type'] } & Omit<ExportExpect, 'type'>;

let forms = 0;

/**
 * Exports a group's questions as a labelled set in the eval format: what a right reply to them would be
 * (its type, the notice it should cite, words it must and must not hold), a name, tags. The server keeps the
 * set (the staged-notice eval runs it) and the page offers the JSONL as a download.
 */
export class ExportForm {
  readonly root: HTMLFormElement;
  private readonly name: HTMLInputElement;
  private readonly types: HTMLInputElement[];
  private readonly notice: HTMLInputElement;
  private readonly include: HTMLTextAreaElement;
  private readonly exclude: HTMLInputElement;
  private readonly tags: HTMLInputElement;
  private readonly submit = el('button', { type: 'submit', class: 'primary' }, '导出评测集');
  private readonly result = el('p', { class: 'result', role: 'status' });

  constructor(
    private readonly api: OpsApi,
    private readonly group: MissGroup,
    suggestedName: string,
    private readonly exported: () => void,
  ) {
    const n = ++forms;
    const id = (k: string) => `export-${n}-${k}`;
    this.name = el('input', {
      id: id('name'),
      name: 'name',
      required: '',
      pattern: '[a-z0-9-]{1,40}',
      maxlength: '40',
      spellcheck: 'false',
    });
    this.name.value = suggestedName;
    this.types = TYPES.map((t) => el('input', { type: 'checkbox', name: 'type', value: t }));
    for (const box of this.types) box.checked = box.value === 'answer';
    const notices = [...new Set(group.clauses.map((c) => c.notice))];
    this.notice = el('input', { id: id('notice'), name: 'notice', list: id('notices'), spellcheck: 'false' });
    this.include = el('textarea', { id: id('include'), name: 'include', rows: '2', 'aria-describedby': id('include-help') });
    this.exclude = el('input', { id: id('exclude'), name: 'exclude' });
    this.tags = el('input', { id: id('tags'), name: 'tags', spellcheck: 'false' });
    this.tags.value = 'ops';
    const typeBoxes = el(
      'fieldset',
      { class: 'checks' },
      el('legend', {}, '正确的回复类型'),
      ...this.types.map((box) => el('label', { class: 'check' }, box, REPLY_TYPE[box.value] ?? box.value)),
    );
    this.root = el(
      'form',
      { class: 'export', 'aria-label': `导出“${group.label}”为评测集` },
      el('p', { class: 'muted' }, `把这组的 ${group.ids.length} 个问题导出为评测集，写明正确回复应当是什么。`),
      el(
        'div',
        { class: 'fields' },
        el('label', { for: id('name') }, '文件名（小写字母、数字、-）'),
        this.name,
        typeBoxes,
        el('label', { for: id('notice') }, '应引用的通知（可空，可从相近条款的通知中选）'),
        this.notice,
        el('datalist', { id: id('notices') }, ...notices.map((v) => el('option', { value: v }))),
        el('label', { for: id('include') }, '回复须包含的词'),
        this.include,
        el('p', { class: 'help', id: id('include-help') }, '每行一组，组内用 | 分隔表示任一即可；如：三个月|3个月'),
        el('label', { for: id('exclude') }, '回复不得包含的词（用逗号分隔）'),
        this.exclude,
        el('label', { for: id('tags') }, '标签（用逗号分隔）'),
        this.tags,
      ),
      el('div', { class: 'row' }, this.submit),
      this.result,
    );
    this.root.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.send();
    });
  }

  /** What the operator expects of the questions, as `POST /api/ops/export` takes it (`types`, `notice` …). */
  private expect(): ExportBody | string {
    const types = this.types.filter((b) => b.checked).map((b) => b.value as ExportExpect['type'][number]);
    if (types.length === 0) return '请至少选择一种正确的回复类型';
    const include = this.include.value
      .split('\n')
      .map((line) => words(line.replace(/\|/g, ' ')))
      .filter((alts) => alts.length > 0);
    const exclude = words(this.exclude.value);
    const notice = this.notice.value.trim();
    return {
      types,
      ...(notice ? { notice } : {}),
      ...(include.length > 0 ? { include } : {}),
      ...(exclude.length > 0 ? { exclude } : {}),
    };
  }

  private async send(): Promise<void> {
    const name = this.name.value.trim();
    if (!NAME.test(name)) {
      this.result.textContent = '文件名只能用小写字母、数字和 -，最长 40 个字符';
      this.name.focus();
      return;
    }
    const expect = this.expect();
    if (typeof expect === 'string') {
      this.result.textContent = expect;
      this.types[0]?.focus();
      return;
    }
    this.submit.disabled = true;
    this.result.textContent = '导出中…';
    try {
      const tags = words(this.tags.value);
      const r = await this.api.post<ExportResult>('/api/ops/export', {
        ids: this.group.ids,
        ...expect,
        name,
        ...(tags.length > 0 ? { tags } : {}),
      });
      const again = el('button', { type: 'button', class: 'download' }, `下载 ${r.file}`);
      again.addEventListener('click', () => download(r.file, r.jsonl));
      this.result.replaceChildren(`已导出 ${r.file}（${r.items} 条），已保存在服务器，预览通知更新时会用它评测。`, again);
      download(r.file, r.jsonl);
      this.exported();
    } catch (error) {
      this.result.textContent = `导出失败：${errorText(error)}`;
    } finally {
      this.submit.disabled = false;
    }
  }
}
