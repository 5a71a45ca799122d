import type { Chat } from './chat-model.js';
import { button, el, select } from './dom.js';
import { RESOLUTIONS } from './labels.js';
import type { Entry } from './protocol.js';
import { renderBotSuggestion, renderEntry } from './transcript.js';

export interface ChatActions {
  /** False when the message could not be sent (not connected): the text stays in the box. */
  send(sessionId: string, text: string): boolean;
  end(sessionId: string, how: 'return' | 'release'): boolean;
  close(sessionId: string, resolution: string): boolean;
}

/**
 * The chat on screen: its transcript (a live log), the reply box (Enter sends, Shift+Enter is a new line,
 * Enter while an input method is composing does neither) and 转回机器人 / 释放 / 结束.
 */
export class ChatView {
  readonly root = el('section', { id: 'chat', class: 'panel chat', 'aria-labelledby': 'chat-title' });
  private readonly title = el('h2', { id: 'chat-title' }, '当前会话');
  private readonly meta = el('span', { class: 'muted session' });
  private readonly note = el('p', { class: 'empty' }, '请从“我的会话”中选择，或从排队中接入用户');
  private readonly body = el('div', { class: 'chat-body', hidden: '' });
  private readonly log = el('div', {
    class: 'log',
    role: 'log',
    'aria-live': 'polite',
    'aria-relevant': 'additions',
    'aria-label': '会话记录',
    tabindex: '0',
  });
  private readonly input = el('textarea', {
    id: 'reply-text',
    name: 'reply',
    rows: '3',
    maxlength: '2000',
    placeholder: '输入回复，Enter 发送，Shift+Enter 换行',
  });
  private readonly sendButton = el('button', { type: 'submit', class: 'send' }, '发送');
  private readonly actionButtons: HTMLButtonElement[];
  private readonly resolution = select(RESOLUTIONS, { id: 'resolution', class: 'resolution' });
  private chat: Chat | null = null;
  private lastSeq = Number.NEGATIVE_INFINITY;
  private settleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly me: () => string,
    private readonly actions: ChatActions,
  ) {
    const form = el(
      'form',
      { class: 'reply', 'aria-label': '回复用户' },
      el('label', { for: 'reply-text', class: 'sr-only' }, '回复内容'),
      this.input,
      this.sendButton,
    );
    const back = button('转回机器人', 'return');
    const release = button('释放', 'release', { title: '放回排队，由其他坐席接入' });
    const close = button('结束', 'close');
    this.actionButtons = [back, release, close];
    const bar = el(
      'div',
      { class: 'actions', role: 'group', 'aria-label': '会话操作' },
      back,
      release,
      el('span', { class: 'end' }, el('label', { for: 'resolution' }, '结束原因'), this.resolution, close),
    );
    this.body.append(this.log, form, bar);
    this.root.append(el('div', { class: 'chat-head' }, this.title, this.meta), this.note, this.body);

    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.submit();
    });
    this.input.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' || e.shiftKey || e.isComposing || e.keyCode === 229) return;
      e.preventDefault();
      this.submit();
    });
    this.input.addEventListener('input', () => {
      if (this.chat) this.chat.draft = this.input.value;
    });
    back.addEventListener('click', () => this.act(() => this.actions.end(this.current(), 'return')));
    release.addEventListener('click', () => this.act(() => this.actions.end(this.current(), 'release')));
    close.addEventListener('click', () => this.act(() => this.actions.close(this.current(), this.resolution.value)));
  }

  get sessionId(): string | null {
    return this.chat?.sessionId ?? null;
  }

  /** Puts `chat` on screen (or, with null, the `note` saying why there is none). */
  show(chat: Chat | null, note = '请从“我的会话”中选择，或从排队中接入用户'): void {
    this.chat = chat;
    this.settle();
    if (!chat) {
      this.title.textContent = '当前会话';
      this.meta.textContent = '';
      this.note.textContent = note;
      this.note.hidden = false;
      this.body.hidden = true;
      this.log.replaceChildren();
      this.input.value = '';
      return;
    }
    chat.unread = 0;
    this.note.hidden = true;
    this.body.hidden = false;
    this.heading(chat);
    this.input.value = chat.draft;
    // Rebuilt as one change marked busy, so a screen reader does not read the whole transcript out.
    this.log.setAttribute('aria-busy', 'true');
    this.log.replaceChildren();
    this.lastSeq = Number.NEGATIVE_INFINITY;
    this.appendEntries(chat.entries);
    if (!chat.loaded) this.log.append(el('p', { class: 'muted loading' }, '正在载入会话记录…'));
    this.log.setAttribute('aria-busy', 'false');
    this.log.scrollTop = this.log.scrollHeight;
  }

  /** New lines of the chat on screen. */
  added(fresh: readonly Entry[]): void {
    const chat = this.chat;
    if (!chat) return;
    this.heading(chat);
    if (fresh.some((e) => e.seq < this.lastSeq)) {
      this.show(chat);
      return;
    }
    this.log.querySelector('.loading')?.remove();
    const atBottom = this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 40;
    this.appendEntries(fresh);
    if (atBottom) this.log.scrollTop = this.log.scrollHeight;
  }

  focusReply(): void {
    if (this.chat) this.input.focus();
  }

  /** An action got its answer (or failed): the buttons work again. */
  settle(): void {
    clearTimeout(this.settleTimer);
    for (const b of this.actionButtons) b.disabled = false;
  }

  private heading(chat: Chat): void {
    this.title.textContent = `会话 · ${chat.region ?? '未知地区'}`;
    this.meta.textContent = chat.sessionId;
  }

  private appendEntries(entries: readonly Entry[]): void {
    const chat = this.chat;
    if (!chat) return;
    const me = this.me();
    for (const entry of entries) {
      this.log.append(renderEntry(entry, me));
      const suggestion = chat.suggestions.get(entry.seq);
      if (suggestion) this.log.append(renderBotSuggestion(entry.seq, suggestion, (text) => this.use(text)));
      this.lastSeq = Math.max(this.lastSeq, entry.seq);
    }
  }

  private use(text: string): void {
    this.input.value = text;
    if (this.chat) this.chat.draft = text;
    this.input.focus();
    this.input.setSelectionRange(text.length, text.length);
  }

  private current(): string {
    return this.chat?.sessionId ?? '';
  }

  private submit(): void {
    const chat = this.chat;
    const text = this.input.value.trim();
    if (!chat || !text) return;
    if (!this.actions.send(chat.sessionId, text)) return;
    this.input.value = '';
    chat.draft = '';
  }

  private act(run: () => boolean): void {
    if (!this.chat || !run()) return;
    for (const b of this.actionButtons) b.disabled = true;
    clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => this.settle(), 10_000);
  }
}
