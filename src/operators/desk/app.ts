import { el } from '../../console/dom.js';
import { SignIn } from '../../console/signin.js';
import { tokenStore } from '../../console/token-store.js';
import { ApiError, errorText, OpsApi } from './api.js';
import { ExpiryTab } from './expiry.js';
import { GroupsTab } from './groups.js';
import type { Me } from './shapes.js';
import { Tabs } from './tabs.js';
import { TopBar } from './topbar.js';
import { TrendsTab } from './trends.js';
import { UpdatesTab } from './updates.js';

const TOKEN_KEY = 'hl-ops-token';

const tokens = tokenStore(TOKEN_KEY);

/**
 * The operators' desk: signs in with an operator token (checked by GET /api/ops/me, kept for the tab), then
 * four tabs over /api/ops/*. A 401 from any call signs out.
 */
export class DeskApp {
  private token: string | null = null;
  private readonly api = new OpsApi(
    () => this.token,
    (error) => this.signOut(errorText(error)),
  );
  private readonly signin = new SignIn((token) => void this.signIn(token), { token: '运营令牌', title: '医保热线助手 · 运营工作台' });
  private readonly topbar = new TopBar(() => this.signOut());
  private readonly groups = new GroupsTab(this.api);
  private readonly trends = new TrendsTab(this.api);
  private readonly updates = new UpdatesTab(this.api);
  private readonly expiry = new ExpiryTab(this.api, () => this.tabs.open('updates'));
  private readonly tabs = new Tabs([
    { id: 'groups', label: '问题分组', panel: this.groups.root, shown: () => void this.groups.load() },
    { id: 'trends', label: '趋势', panel: this.trends.root, shown: () => void this.trends.load() },
    { id: 'updates', label: '通知更新', panel: this.updates.root, shown: () => void this.updates.load() },
    { id: 'expiry', label: '有效期', panel: this.expiry.root, shown: () => void this.expiry.load() },
  ]);
  private readonly desk = el('main', { id: 'desk', class: 'desk', hidden: '' });

  constructor(mount: HTMLElement) {
    this.desk.append(el('h1', { class: 'sr-only' }, '医保热线助手 · 运营工作台'), this.tabs.list, this.tabs.panels);
    mount.replaceChildren(this.topbar.root, this.signin.root, this.desk);
    const token = tokens.get();
    if (token) void this.signIn(token);
    else this.signOut();
  }

  private async signIn(token: string): Promise<void> {
    this.token = token;
    let me: Me;
    try {
      me = await this.api.get<Me>('/api/ops/me');
    } catch (error) {
      // A 401 has signed out already (the Api's handler); anything else is said on the form.
      if (!(error instanceof ApiError && error.status === 401)) this.signOut(errorText(error));
      return;
    }
    if (this.token !== token) return;
    tokens.set(token);
    this.topbar.setOperator(me);
    const fromForm = this.signin.root.contains(document.activeElement) || document.activeElement === document.body;
    this.signin.hide();
    this.desk.hidden = false;
    this.tabs.start();
    if (fromForm) this.tabs.focus();
  }

  /** Back to the sign-in form, forgetting the token. */
  private signOut(message = ''): void {
    this.token = null;
    tokens.set(null);
    this.topbar.setOperator(null);
    this.desk.hidden = true;
    this.signin.show(message);
  }
}
