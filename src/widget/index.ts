/**
 * The chat widget: one script tag on any page adds a chat button and panel (shadow DOM), talking to the
 * service's /ws/chat. `<script src="https://host/widget.js" data-region="包头" data-title="医保咨询" async>`.
 * Everything the user or the server sends is rendered as text, never as HTML.
 */
import { STYLE } from './style.js';

interface Citation {
  notice: string;
  clause: string;
  title: string | null;
  date: string | null;
  quote: string;
  url: string;
}
interface Reply {
  type: 'answer' | 'clarify' | 'handoff' | 'fallback';
  text: string;
  citations: Citation[];
  suggestions: string[];
  sessionId: string;
}

const script = document.currentScript as HTMLScriptElement | null;
const origin = script?.src ? new URL(script.src).origin : location.origin;
const region = script?.dataset.region || undefined;
const title = script?.dataset.title || '医保咨询';
const STORAGE = 'hl-widget-session';
const TOKEN = 'hl-widget-resume';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

// An element of its own (not a div), so the host page's element rules don't reach the host either.
const host = document.createElement('hl-chat-widget');
host.id = 'hl-chat-widget';
const root = host.attachShadow({ mode: 'open' });
const style = el('style');
style.textContent = STYLE;
const launcher = el('button', { class: 'launcher', type: 'button', 'aria-expanded': 'false', 'aria-controls': 'hl-panel' }, `💬 ${title}`);
const panel = el('section', { class: 'panel', id: 'hl-panel', role: 'dialog', 'aria-label': title, hidden: '' });
const header = el('header');
const heading = el('h2', {}, title);
const state = el('span', { class: 'state', role: 'status' }, '连接中…');
const human = el('button', { type: 'button', class: 'human' }, '转人工');
const close = el('button', { type: 'button', 'aria-label': '关闭' }, '✕');
header.append(heading, state, human, close);
const log = el('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions' });
const form = el('form');
const input = el('input', {
  type: 'text',
  maxlength: '500',
  'aria-label': '输入您的问题',
  placeholder: '请输入您的问题，例如：慢性病能开多久的药？',
});
const send = el('button', { type: 'submit' }, '发送');
form.append(input, send);
panel.append(header, log, form);
root.append(style, launcher, panel);
document.body.append(host);

let socket: WebSocket | null = null;
let attempts = 0;
let counter = 0;
let typing: HTMLElement | null = null;
const outbox: string[] = [];

function setState(text: string): void {
  state.textContent = text;
  host.dataset.state = text;
}

function scroll(): void {
  log.scrollTop = log.scrollHeight;
}

function addUser(text: string): void {
  log.append(el('div', { class: 'msg user' }, text));
  scroll();
}

function sources(box: HTMLElement, citations: readonly Citation[]): void {
  if (citations.length > 0) {
    const details = el('details');
    details.append(el('summary', {}, `来源（${citations.length}）`));
    for (const c of citations) {
      const link = el(
        'a',
        { href: new URL(c.url, origin).href, target: '_blank', rel: 'noopener' },
        `${c.title ?? c.notice} · ${c.clause}${c.date ? ` · ${c.date}` : ''}`,
      );
      details.append(link, el('blockquote', {}, c.quote));
    }
    box.append(details);
  }
}

function stopTyping(): void {
  typing?.remove();
  typing = null;
}

function addReply(reply: Reply): void {
  stopTyping();
  const box = el('div', { class: `msg bot ${reply.type}`, 'data-type': reply.type }, reply.text);
  sources(box, reply.citations);
  if (reply.suggestions.length > 0) {
    const chips = el('div', { class: 'chips', role: 'group', 'aria-label': '可选回复' });
    for (const s of reply.suggestions) {
      const chip = el('button', { type: 'button', class: 'chip' }, s);
      chip.addEventListener('click', () => ask(s));
      chips.append(chip);
    }
    box.append(chips);
  }
  log.append(box);
  scroll();
}

interface HandoffFrame {
  state: string;
  event: string;
  text: string;
  citations: Citation[];
  offerTicket?: boolean;
}

let waiting: HTMLElement | null = null;

/** A line from the handoff desk (queued, an agent joined, back to the bot …); while queued, a 取消排队 button. */
function addHandoff(f: HandoffFrame): void {
  stopTyping();
  waiting?.remove();
  waiting = null;
  const box = el('div', { class: 'msg system', 'data-event': f.event, role: 'status' }, f.text);
  sources(box, f.citations);
  if (f.state === 'queued') {
    const cancel = el('button', { type: 'button', class: 'cancel' }, '取消排队');
    cancel.addEventListener('click', () => transmit({ type: 'cancel' }));
    box.append(el('div'), cancel);
    waiting = box;
  }
  human.disabled = f.state === 'queued' || f.state === 'agent';
  log.append(box);
  if (f.offerTicket) addTicketForm();
  scroll();
}

function addAgent(text: string): void {
  stopTyping();
  const box = el('div', { class: 'msg agent', 'data-role': 'agent' });
  box.append(el('span', { class: 'who' }, '人工客服'), el('span', {}, text));
  log.append(box);
  scroll();
}

/** The callback form: phone and question; the server checks the number and answers with a ticket id. */
function addTicketForm(): void {
  const f = el('form', { class: 'ticket', 'aria-label': '留言回电' });
  const phone = el('input', {
    type: 'tel',
    name: 'phone',
    autocomplete: 'tel',
    'aria-label': '联系电话',
    placeholder: '联系电话（手机或带区号的座机）',
    maxlength: '40',
  });
  const question = el('input', {
    type: 'text',
    name: 'question',
    'aria-label': '问题',
    placeholder: '请简要描述您的问题',
    maxlength: '500',
  });
  const submit = el('button', { type: 'submit' }, '提交回电请求');
  const error = el('p', { class: 'error', role: 'alert' });
  f.append(phone, question, submit, error);
  f.addEventListener('submit', (e) => {
    e.preventDefault();
    ticketForm = f;
    error.textContent = '';
    transmit({ type: 'ticket', id: `t${++counter}`, phone: phone.value, question: question.value });
  });
  log.append(f);
  scroll();
}
let ticketForm: HTMLFormElement | null = null;

function transmit(frame: object): void {
  const text = JSON.stringify(frame);
  if (socket?.readyState === WebSocket.OPEN) socket.send(text);
  else outbox.push(text);
}

function ask(text: string): void {
  const t = text.trim();
  if (!t) return;
  addUser(t);
  transmit({ type: 'message', id: `m${++counter}`, text: t });
}

function connect(): void {
  setState(attempts === 0 ? '连接中…' : '重新连接中…');
  const ws = new WebSocket(`${origin.replace(/^http/, 'ws')}/ws/chat`);
  socket = ws;
  ws.addEventListener('open', () => {
    attempts = 0;
    setState('在线');
    const sessionId = sessionStorage.getItem(STORAGE) ?? undefined;
    const resumeToken = sessionStorage.getItem(TOKEN) ?? undefined;
    ws.send(
      JSON.stringify({ type: 'hello', ...(sessionId && resumeToken ? { sessionId, resumeToken } : {}), ...(region ? { region } : {}) }),
    );
    for (const f of outbox.splice(0)) ws.send(f);
  });
  ws.addEventListener('message', (event) => {
    let frame: {
      type: string;
      sessionId?: string;
      resumeToken?: string;
      state?: string;
      reply?: Reply;
      message?: string;
      code?: string;
      text?: string;
      replyTo?: string;
      id?: string;
    };
    try {
      frame = JSON.parse(String(event.data));
    } catch {
      return;
    }
    if (frame.type === 'ready' && frame.sessionId && frame.resumeToken) {
      sessionStorage.setItem(STORAGE, frame.sessionId);
      sessionStorage.setItem(TOKEN, frame.resumeToken);
      human.disabled = frame.state === 'queued' || frame.state === 'agent';
    } else if (frame.type === 'ack') stopTyping();
    else if (frame.type === 'handoff') addHandoff(frame as unknown as HandoffFrame);
    else if (frame.type === 'agent' && frame.text !== undefined) addAgent(frame.text);
    else if (frame.type === 'ticket' && frame.text) {
      ticketForm?.remove();
      ticketForm = null;
      addHandoff({ state: 'ticket', event: 'ticket', text: frame.text, citations: [] });
    } else if (frame.type === 'error' && frame.replyTo?.startsWith('t') && ticketForm) {
      const error = ticketForm.querySelector('.error');
      if (error)
        error.textContent =
          frame.code === 'HL_ERR_BAD_PHONE' ? '请填写正确的手机号码或带区号的座机号码。' : (frame.message ?? '提交失败，请稍后再试。');
    } else if (frame.type === 'typing' && !typing) {
      typing = el('div', { class: 'typing', 'aria-label': '正在输入' }, '正在输入…');
      log.append(typing);
      scroll();
    } else if (frame.type === 'reply' && frame.reply) addReply(frame.reply);
    else if (frame.type === 'error')
      addReply({ type: 'fallback', text: frame.message ?? '出错了，请稍后再试。', citations: [], suggestions: [], sessionId: '' });
  });
  ws.addEventListener('close', () => {
    if (socket !== ws) return;
    socket = null;
    typing?.remove();
    typing = null;
    const delay = Math.min(30_000, 500 * 2 ** attempts++) * (0.75 + Math.random() / 2);
    setState('连接已断开，正在重连…');
    setTimeout(connect, delay);
  });
}

function toggle(open: boolean): void {
  panel.hidden = !open;
  launcher.setAttribute('aria-expanded', String(open));
  if (open) {
    if (!socket) connect();
    input.focus();
  } else launcher.focus();
}

launcher.addEventListener('click', () => toggle(panel.hidden));
close.addEventListener('click', () => toggle(false));
panel.addEventListener('keydown', (e) => {
  if (e.key === 'Escape') toggle(false);
});
human.addEventListener('click', () => {
  addUser('转人工');
  transmit({ type: 'handoff' });
});
form.addEventListener('submit', (e) => {
  e.preventDefault();
  ask(input.value);
  input.value = '';
});
