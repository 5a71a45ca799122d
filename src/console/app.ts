import { Api, ApiError, errorText } from './api.js';
import { AssistPanel } from './assist.js';
import { CardPanel } from './card.js';
import { ChatList } from './chat-list.js';
import { type Chat, mergeEntries, newChat } from './chat-model.js';
import { ChatView } from './chat-view.js';
import { el } from './dom.js';
import { describeError, ENDED, type LinkState } from './labels.js';
import { AgentLink } from './link.js';
import { Notices } from './notices.js';
import type { ClientFrame, Entry, Presence, ServerFrame } from './protocol.js';
import { QueuePanel } from './queue.js';
import { SignIn } from './signin.js';
import { TicketsPanel } from './tickets.js';
import { tokenStore } from './token-store.js';
import { TopBar } from './topbar.js';

const TOKEN_KEY = 'hl-agent-token';
const TITLE = '医保热线助手 · 坐席工作台';

const tokens = tokenStore(TOKEN_KEY);

/**
 * The agents' console: signs in with a token, keeps the /ws/agent connection, and routes its frames to
 * the panels (queue, my chats, the chat on screen, tickets); assist and the quick-reference card talk
 * HTTP. The state here is only what the server last said plus drafts; a reconnect's `welcome` resyncs it.
 */
export class ConsoleApp {
  private token: string | null = null;
  private agent = '';
  private capacity = 0;
  /** Server clock minus this clock, from `welcome.now`. */
  private offset = 0;
  /** The presence the agent chose here; re-asserted after a reconnect. */
  private wanted: Presence | null = null;
  private readonly chats = new Map<string, Chat>();
  private active: string | null = null;
  /** The chat the agent just accepted: it goes on screen with the reply box focused when it arrives. */
  private accepted: string | null = null;
  private regionsLoaded = false;
  /** The queue frame right after `welcome` is the whole queue, not news: it is not announced. */
  private quietQueue = true;

  private readonly api = new Api(
    () => this.token,
    () => this.signOut('令牌无效或已过期'),
  );
  private readonly link = new AgentLink({
    frame: (f) => this.onFrame(f),
    state: (s) => this.onState(s),
    refused: () => this.verify(),
  });
  private readonly notices = new Notices();
  private readonly signin = new SignIn((token) => this.signIn(token));
  private readonly topbar = new TopBar({ presence: (p) => this.setPresence(p), signOut: () => this.signOut() });
  private readonly queue = new QueuePanel((sessionId) => this.accept(sessionId));
  private readonly list = new ChatList((sessionId) => this.pick(sessionId));
  private readonly view = new ChatView(() => this.agent, {
    send: (sessionId, text) => this.send({ type: 'message', sessionId, text }),
    end: (sessionId, how) => this.send({ type: how, sessionId }),
    close: (sessionId, resolution) => this.send({ type: 'close', sessionId, resolution }),
  });
  private readonly assist = new AssistPanel(this.api);
  private readonly card = new CardPanel(this.api);
  private readonly tickets = new TicketsPanel(this.api, () => this.agent);
  private readonly workspace = el('main', { id: 'workspace', class: 'workspace', hidden: '' });

  constructor(mount: HTMLElement) {
    this.workspace.append(
      el('div', { class: 'column left' }, this.queue.root, this.list.root),
      this.view.root,
      el('div', { class: 'column right' }, this.assist.root, this.card.root, this.tickets.root),
    );
    mount.replaceChildren(this.topbar.root, this.notices.alert, this.signin.root, this.workspace, this.notices.live);
    setInterval(() => this.queue.tick(this.now()), 1000);
    const token = tokens.get();
    if (token) this.signIn(token);
    else this.signOut();
  }

  private now(): number {
    return Date.now() + this.offset;
  }

  private signIn(token: string): void {
    this.token = token;
    tokens.set(token);
    this.signin.hide();
    this.workspace.hidden = false;
    this.topbar.signedIn(true);
    this.link.open(token);
  }

  /** Back to the sign-in form, forgetting the token and everything shown. */
  private signOut(message = ''): void {
    this.token = null;
    tokens.set(null);
    this.link.stop();
    this.agent = '';
    this.capacity = 0;
    this.wanted = null;
    this.chats.clear();
    this.active = null;
    this.accepted = null;
    this.regionsLoaded = false;
    this.queue.clear();
    this.view.show(null);
    this.assist.reset();
    this.card.reset();
    this.tickets.reset();
    this.notices.clear();
    this.renderChats();
    this.topbar.setAgent('', '', 0);
    this.topbar.setPresence(null);
    this.topbar.setState('offline');
    this.topbar.signedIn(false);
    this.workspace.hidden = true;
    this.signin.show(message);
  }

  /**
   * The socket closed before opening: ask HTTP whether the token is still good. A 401 signs out (the
   * Api's handler); no agents configured signs out with that; anything else (server down) retries.
   */
  private async verify(): Promise<boolean> {
    const token = this.token;
    if (token === null) return false;
    try {
      await this.api.get('/api/agent/regions');
    } catch (error) {
      if (error instanceof ApiError && error.code === 'HL_ERR_AGENTS_DISABLED' && this.token === token) {
        this.signOut(errorText(error));
      }
    }
    return this.token === token;
  }

  private onState(state: LinkState): void {
    this.topbar.setState(state);
    if (state !== 'online') {
      this.queue.settle();
      this.view.settle();
    }
    this.queue.setCanAccept(this.canAccept());
  }

  private send(frame: ClientFrame): boolean {
    if (this.link.send(frame)) return true;
    this.notices.error(describeError('NOT_CONNECTED', ''));
    return false;
  }

  private accept(sessionId: string): boolean {
    if (!this.send({ type: 'accept', sessionId })) return false;
    this.accepted = sessionId;
    return true;
  }

  private setPresence(presence: Presence): void {
    this.wanted = presence;
    // While disconnected the choice is kept and sent after `welcome`.
    this.link.send({ type: 'presence', status: presence });
    this.topbar.setPresence(presence);
  }

  private canAccept(): boolean {
    return this.link.online && this.chats.size < this.capacity;
  }

  private pick(sessionId: string): void {
    const chat = this.chats.get(sessionId);
    if (!chat) return;
    this.active = sessionId;
    this.view.show(chat);
    this.renderChats();
  }

  private chatFor(sessionId: string): Chat {
    let chat = this.chats.get(sessionId);
    if (!chat) {
      chat = newChat(sessionId);
      this.chats.set(sessionId, chat);
    }
    return chat;
  }

  private renderChats(): void {
    const chats = [...this.chats.values()];
    this.list.render(chats, this.active, this.capacity);
    this.queue.setCanAccept(this.canAccept());
    const unread = chats.reduce((n, c) => n + c.unread, 0);
    document.title = unread > 0 ? `(${unread}) ${TITLE}` : TITLE;
  }

  private async loadRegions(): Promise<void> {
    try {
      const { regions } = await this.api.get<{ regions: string[] }>('/api/agent/regions');
      this.regionsLoaded = true;
      this.assist.setRegions(regions ?? []);
      this.card.setRegions(regions ?? []);
    } catch (error) {
      if (this.token) this.notices.error(`地区列表载入失败：${errorText(error)}`);
    }
  }

  private onFrame(frame: ServerFrame): void {
    switch (frame.type) {
      case 'welcome':
        this.welcome(frame);
        break;
      case 'queue': {
        const fresh = this.queue.update(frame.items, this.now(), frame.total);
        if (this.quietQueue) this.quietQueue = false;
        else if (fresh.length === 1 && fresh[0]) this.notices.say(`新用户排队：${fresh[0].region ?? '未知地区'}`);
        else if (fresh.length > 1) this.notices.say(`${fresh.length} 位新用户排队`);
        break;
      }
      case 'chat':
        this.chat(frame.sessionId, frame.region, frame.transcript);
        break;
      case 'user':
        this.line(frame.sessionId, frame.entry, frame.suggestion);
        break;
      case 'entry':
        this.line(frame.sessionId, frame.entry, null);
        break;
      case 'ended':
        this.ended(frame.sessionId, ENDED[frame.reason] ?? '会话已结束');
        break;
      case 'tickets':
        void this.tickets.refresh();
        break;
      case 'error':
        this.notices.error(describeError(frame.code, frame.message));
        this.queue.settle(frame.replyTo && this.queue.isPending(frame.replyTo) ? frame.replyTo : undefined);
        this.view.settle();
        break;
      case 'pong':
        break;
    }
  }

  private welcome(frame: Extract<ServerFrame, { type: 'welcome' }>): void {
    this.agent = frame.agent;
    this.capacity = frame.capacity;
    this.offset = frame.now - Date.now();
    this.quietQueue = true;
    this.topbar.setAgent(frame.agent, typeof frame.name === 'string' ? frame.name : frame.agent, frame.capacity);
    if (this.wanted && this.wanted !== frame.presence) this.link.send({ type: 'presence', status: this.wanted });
    this.topbar.setPresence(this.wanted ?? frame.presence);
    const held = frame.chats.filter((id): id is string => typeof id === 'string');
    for (const id of [...this.chats.keys()]) {
      if (!held.includes(id)) this.ended(id, '连接中断期间，该会话已被放回排队或已结束');
    }
    for (const id of held) this.chatFor(id);
    // The server sends each held chat after `welcome`; ask again only for one that did not come.
    setTimeout(() => {
      for (const id of held) if (this.chats.get(id)?.loaded === false) this.link.send({ type: 'transcript', sessionId: id });
    }, 1500);
    if (this.active === null && held[0]) this.pick(held[0]);
    this.renderChats();
    if (!this.regionsLoaded) void this.loadRegions();
    void this.tickets.refresh();
  }

  /** A whole transcript: a chat just accepted or assigned to me, or one I asked for again. */
  private chat(sessionId: string, region: string | null, transcript: Entry[]): void {
    const known = this.chats.has(sessionId);
    const chat = this.chatFor(sessionId);
    chat.region = region ?? chat.region;
    chat.loaded = true;
    const fresh = mergeEntries(chat, transcript);
    this.queue.settle(sessionId);
    if (!known) this.notices.say(`已接入会话：${chat.region ?? '未知地区'}`);
    if (this.accepted === sessionId) {
      this.accepted = null;
      this.pick(sessionId);
      this.view.focusReply();
    } else if (this.active === sessionId) this.view.added(fresh);
    else if (this.active === null) this.pick(sessionId);
    this.renderChats();
  }

  /** One new line in a chat I hold; a user's may come with the bot's suggestion. */
  private line(sessionId: string, entry: Entry, suggestion: Extract<ServerFrame, { type: 'user' }>['suggestion']): void {
    const known = this.chats.has(sessionId);
    const chat = this.chatFor(sessionId);
    if (!known) this.link.send({ type: 'transcript', sessionId });
    const fresh = mergeEntries(chat, [entry]);
    if (suggestion && fresh.length > 0) chat.suggestions.set(entry.seq, suggestion);
    if (this.active === sessionId) this.view.added(fresh);
    else if (entry.role === 'user' && fresh.length > 0) {
      chat.unread += 1;
      this.notices.say(`新消息（${chat.region ?? '未知地区'}）：${entry.text}`);
    }
    this.renderChats();
  }

  private ended(sessionId: string, note: string): void {
    const chat = this.chats.get(sessionId);
    if (!chat) return;
    this.chats.delete(sessionId);
    if (this.accepted === sessionId) this.accepted = null;
    if (this.active === sessionId) {
      this.active = null;
      this.view.show(null, `${note}。请从“我的会话”中选择，或从排队中接入下一位用户。`);
    }
    this.notices.say(`${chat.region ?? '未知地区'}的会话：${note}`);
    this.renderChats();
  }
}
