import { button, el } from './dom.js';
import { LINK_STATE, type LinkState, PRESENCE } from './labels.js';
import type { Presence } from './protocol.js';

/** The bar over the workspace: who is signed in, the connection state, presence (在线 / 离开) and 退出. */
export class TopBar {
  readonly root = el('header', { class: 'topbar' });
  readonly status = el('span', { id: 'status', role: 'status', 'data-state': LINK_STATE.offline }, LINK_STATE.offline);
  private readonly agent = el('span', { id: 'agent', class: 'agent' });
  private readonly presence = el('div', { id: 'presence', role: 'group', 'aria-label': '接待状态' });
  private readonly buttons: Record<Presence, HTMLButtonElement>;
  private readonly signOut = button('退出', 'signout', { id: 'signout' });

  constructor(handlers: { presence(p: Presence): void; signOut(): void }) {
    const online = button(PRESENCE.online, 'presence', { 'data-presence': 'online', 'aria-pressed': 'false' });
    const away = button(PRESENCE.away, 'presence', { 'data-presence': 'away', 'aria-pressed': 'false' });
    this.buttons = { online, away };
    online.addEventListener('click', () => handlers.presence('online'));
    away.addEventListener('click', () => handlers.presence('away'));
    this.signOut.addEventListener('click', () => handlers.signOut());
    this.presence.append(el('span', { class: 'label' }, '接待'), online, away);
    const connection = el('span', { class: 'connection' }, el('span', { class: 'label' }, '连接'), this.status);
    this.root.append(el('h1', {}, '坐席工作台'), this.agent, connection, this.presence, this.signOut);
  }

  /** Signed out, only the title and the state show. */
  signedIn(yes: boolean): void {
    this.agent.hidden = !yes;
    this.presence.hidden = !yes;
    this.signOut.hidden = !yes;
  }

  setState(state: LinkState): void {
    this.status.textContent = LINK_STATE[state];
    this.status.dataset.state = LINK_STATE[state];
  }

  /** The agent's display name (what citizens see), and the id when it differs. */
  setAgent(agent: string, name: string, capacity: number): void {
    const who = name && name !== agent ? `${name}（${agent}）` : agent;
    this.agent.textContent = agent ? `坐席 ${who} · 最多 ${capacity} 个会话` : '';
  }

  setPresence(p: Presence | null): void {
    for (const [key, b] of Object.entries(this.buttons)) b.setAttribute('aria-pressed', String(key === p));
    if (p) this.presence.dataset.presence = p;
    else delete this.presence.dataset.presence;
  }
}
