import { el } from '../../console/dom.js';

export interface Tab {
  id: string;
  label: string;
  panel: HTMLElement;
  /** Called each time the tab is shown (to load or refresh what it shows). */
  shown(): void;
}

/**
 * The desk's tabs (WAI-ARIA tabs pattern): one tab stop, ←/→/Home/End move between tabs and show them; each
 * panel is labelled by its tab. The tab shown is kept in the URL's hash, so a reload stays on it.
 */
export class Tabs {
  readonly list = el('div', { role: 'tablist', 'aria-label': '工作台栏目', class: 'tabs' });
  readonly panels = el('div', { class: 'panels' });
  private readonly buttons: HTMLButtonElement[] = [];
  private current = -1;

  constructor(private readonly tabs: readonly Tab[]) {
    tabs.forEach((tab, i) => {
      const b = el('button', {
        type: 'button',
        role: 'tab',
        id: `tab-${tab.id}`,
        'aria-controls': `panel-${tab.id}`,
        'aria-selected': 'false',
        tabindex: '-1',
      });
      b.textContent = tab.label;
      b.addEventListener('click', () => this.show(i));
      b.addEventListener('keydown', (e) => this.key(e, i));
      this.buttons.push(b);
      this.list.append(b);
      tab.panel.id = `panel-${tab.id}`;
      tab.panel.setAttribute('role', 'tabpanel');
      tab.panel.setAttribute('aria-labelledby', `tab-${tab.id}`);
      tab.panel.setAttribute('tabindex', '0');
      tab.panel.hidden = true;
      this.panels.append(tab.panel);
    });
  }

  /** Shows the tab named in the URL's hash (`#trends`), or the first. */
  start(): void {
    const named = this.tabs.findIndex((t) => `#${t.id}` === location.hash);
    this.show(Math.max(named, 0));
  }

  /** Shows a tab by its id, as a link inside the desk would (the expiry tab sends the operator to 通知更新). */
  open(id: string): void {
    const i = this.tabs.findIndex((t) => t.id === id);
    if (i >= 0) this.show(i, true);
  }

  /** Puts focus on the tab shown (after sign-in, so the keyboard starts at the tabs). */
  focus(): void {
    this.buttons[this.current]?.focus();
  }

  private show(i: number, focus = false): void {
    const tab = this.tabs[i];
    if (!tab) return;
    this.current = i;
    this.buttons.forEach((b, j) => {
      b.setAttribute('aria-selected', String(j === i));
      b.tabIndex = j === i ? 0 : -1;
      const panel = this.tabs[j]?.panel;
      if (panel) panel.hidden = j !== i;
    });
    if (location.hash !== `#${tab.id}`) history.replaceState(null, '', `#${tab.id}`);
    if (focus) this.buttons[i]?.focus();
    tab.shown();
  }

  private key(e: KeyboardEvent, i: number): void {
    const n = this.tabs.length;
    const to = { ArrowRight: (i + 1) % n, ArrowLeft: (i - 1 + n) % n, Home: 0, End: n - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    this.show(to, true);
  }

  get shown(): string | null {
    return this.tabs[this.current]?.id ?? null;
  }
}
