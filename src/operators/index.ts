/**
 * The operators' feedback page (`GET /operators`): sign in with the admin token (kept for the tab), then the
 * citizens' 好差评, newest first, filtered by kind and vote, with what each was about. Browser code; every
 * value is rendered as text.
 */

interface Feedback {
  id: number;
  channel: string;
  kind: 'answer' | 'chat';
  vote: 'up' | 'down' | null;
  score: number | null;
  reason: string | null;
  comment: string | null;
  notice: string | null;
  clause: string | null;
  intent: string | null;
  agentId: string | null;
  region: string | null;
  at: number;
}

const KEY = 'hl-operators-token';
const REASONS: Record<string, string> = { unanswered: '没回答我的问题', wrong: '信息不对', unclear: '看不懂', other: '其他' };
const SCORES = ['非常不满意', '不满意', '一般', '满意', '非常满意'];
const CHANNELS: Record<string, string> = { web: '网页', wechat: '微信', api: '接口' };

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

const app = document.getElementById('app') as HTMLElement;
const status = el('p', { role: 'status', class: 'status' });

function signIn(message = ''): void {
  const form = el('form', { class: 'signin', 'aria-label': '登录' });
  const input = el('input', {
    type: 'password',
    autocomplete: 'current-password',
    'aria-label': '管理令牌',
    placeholder: '管理令牌（ADMIN_TOKEN）',
  });
  const error = el('p', { role: 'alert', class: 'error' }, message);
  form.append(el('h1', {}, '市民评价'), input, el('button', { type: 'submit' }, '登录'), error);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    sessionStorage.setItem(KEY, input.value.trim());
    void show();
  });
  app.replaceChildren(form);
  input.focus();
}

function verdict(f: Feedback): string {
  if (f.kind === 'chat') return `${f.score}分 ${SCORES[(f.score ?? 1) - 1] ?? ''}`;
  return f.vote === 'up' ? '有帮助' : '没帮助';
}

function row(f: Feedback): HTMLTableRowElement {
  const tr = el('tr');
  const about = el('td');
  if (f.notice && f.clause) {
    about.append(el('a', { href: `/notices/${encodeURIComponent(f.notice)}#${encodeURIComponent(f.clause)}` }, `${f.notice} ${f.clause}`));
  } else about.textContent = f.agentId ? `坐席 ${f.agentId}` : '';
  const when = new Date(f.at);
  tr.append(
    el('td', {}, when.toLocaleString('zh-CN', { hour12: false })),
    el('td', {}, CHANNELS[f.channel] ?? f.channel),
    el('td', {}, f.kind === 'chat' ? '人工服务' : '回答'),
    el('td', { class: f.vote === 'down' || (f.score ?? 5) <= 2 ? 'bad' : '' }, verdict(f)),
    el('td', {}, f.reason ? (REASONS[f.reason] ?? f.reason) : ''),
    el('td', {}, f.comment ?? ''),
    about,
    el('td', {}, f.intent ?? ''),
    el('td', {}, f.region ?? ''),
  );
  return tr;
}

async function show(): Promise<void> {
  const token = sessionStorage.getItem(KEY);
  if (!token) return signIn();
  const kind = (document.getElementById('kind') as HTMLSelectElement | null)?.value ?? '';
  const vote = (document.getElementById('vote') as HTMLSelectElement | null)?.value ?? '';
  const query = new URLSearchParams({ limit: '500', ...(kind ? { kind } : {}), ...(vote ? { vote } : {}) });
  let res: Response;
  try {
    res = await fetch(`/admin/feedback?${query}`, { headers: { authorization: `Bearer ${token}` } });
  } catch {
    status.textContent = '网络错误，请稍后重试。';
    return;
  }
  if (res.status === 401 || res.status === 404) {
    sessionStorage.removeItem(KEY);
    return signIn(res.status === 401 ? '令牌不正确。' : '管理功能未开启（未配置 ADMIN_TOKEN）。');
  }
  if (!res.ok) {
    status.textContent = `读取失败（${res.status}），请稍后重试。`;
    app.replaceChildren(status);
    return;
  }
  const { feedback } = (await res.json()) as { feedback: Feedback[] };
  render(feedback, kind, vote);
}

function select(id: string, label: string, options: [string, string][], value: string): HTMLLabelElement {
  const s = el('select', { id });
  for (const [v, text] of options) {
    const o = el('option', { value: v }, text);
    if (v === value) o.selected = true;
    s.append(o);
  }
  s.addEventListener('change', () => void show());
  const l = el('label', {}, `${label} `);
  l.append(s);
  return l;
}

function render(feedback: Feedback[], kind: string, vote: string): void {
  const answers = feedback.filter((f) => f.kind === 'answer');
  const up = answers.filter((f) => f.vote === 'up').length;
  const scores = feedback.flatMap((f) => (f.score === null ? [] : [f.score]));
  const average = scores.length ? (scores.reduce((a, b) => a + b, 0) / scores.length).toFixed(1) : '—';
  status.textContent = `共 ${feedback.length} 条：回答 ${answers.length} 条（有帮助 ${up}，没帮助 ${answers.length - up}）；人工服务评分 ${scores.length} 条，平均 ${average} 分。`;
  const filters = el('div', { class: 'filters' });
  filters.append(
    select(
      'kind',
      '类型',
      [
        ['', '全部'],
        ['answer', '回答'],
        ['chat', '人工服务'],
      ],
      kind,
    ),
    select(
      'vote',
      '评价',
      [
        ['', '全部'],
        ['up', '有帮助'],
        ['down', '没帮助'],
      ],
      vote,
    ),
  );
  const out = el('button', { type: 'button' }, '退出');
  out.addEventListener('click', () => {
    sessionStorage.removeItem(KEY);
    signIn();
  });
  filters.append(out);
  const table = el('table');
  const head = el('tr');
  for (const h of ['时间', '渠道', '类型', '评价', '原因', '留言', '关于', '意图', '地区']) head.append(el('th', { scope: 'col' }, h));
  table.append(el('caption', {}, '市民评价，最新在前'), el('thead'), el('tbody'));
  table.tHead?.append(head);
  table.tBodies[0]?.append(...feedback.map(row));
  app.replaceChildren(el('h1', {}, '市民评价（好差评）'), filters, status, feedback.length ? table : el('p', {}, '暂无评价。'));
}

void show();
