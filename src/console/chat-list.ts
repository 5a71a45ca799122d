import { type Chat, preview } from './chat-model.js';
import { button, el } from './dom.js';

/** 我的会话: the chats the agent holds, one button each; the one on screen is marked aria-current. */
export class ChatList {
  readonly root = el('section', { id: 'chats', class: 'panel', 'aria-labelledby': 'chats-title' });
  private readonly title = el('h2', { id: 'chats-title' }, '我的会话');
  private readonly list = el('ul', { class: 'rows' });
  private readonly empty = el('p', { class: 'empty' }, '暂无会话：从排队中接入用户');

  constructor(private readonly pick: (sessionId: string) => void) {
    this.root.append(this.title, this.empty, this.list);
  }

  render(chats: readonly Chat[], active: string | null, capacity: number): void {
    const rows = chats.map((chat) => {
      const unread = chat.unread > 0 ? el('span', { class: 'unread' }, `${chat.unread} 条新消息`) : '';
      const pick = button('', 'pick', chat.sessionId === active ? { 'aria-current': 'true' } : {});
      pick.append(
        el('strong', {}, chat.region ?? '未知地区'),
        ' ',
        unread,
        el('span', { class: 'preview' }, preview(chat) || '（暂无消息）'),
      );
      pick.addEventListener('click', () => this.pick(chat.sessionId));
      return el('li', { 'data-session': chat.sessionId, ...(chat.unread > 0 ? { 'data-unread': String(chat.unread) } : {}) }, pick);
    });
    const focused = document.activeElement?.closest('#chats li')?.getAttribute('data-session');
    this.list.replaceChildren(...rows);
    if (focused) this.list.querySelector<HTMLElement>(`li[data-session="${CSS.escape(focused)}"] button`)?.focus();
    this.title.textContent = capacity > 0 ? `我的会话（${chats.length}/${capacity}）` : '我的会话';
    this.empty.hidden = chats.length > 0;
  }
}
