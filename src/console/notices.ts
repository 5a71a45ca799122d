import { button, el } from './dom.js';

/**
 * What the console tells the agent outside the panels: a polite live region for screen readers (new
 * users in the queue, messages in chats not on screen) and a visible alert line for errors.
 */
export class Notices {
  /** Visually hidden; screen readers announce what is put in it. */
  readonly live = el('div', { id: 'announcer', class: 'sr-only', 'aria-live': 'polite', 'aria-atomic': 'true' });
  readonly alert = el('div', { id: 'alert', class: 'alert', role: 'alert', hidden: '' });
  private readonly text = el('span', { class: 'text' });
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    const dismiss = button('知道了', 'dismiss');
    dismiss.addEventListener('click', () => this.clear());
    this.alert.append(this.text, dismiss);
  }

  say(text: string): void {
    // Emptied first so the same sentence twice is announced twice.
    this.live.textContent = '';
    setTimeout(() => {
      this.live.textContent = text;
    }, 50);
  }

  error(text: string): void {
    this.text.textContent = text;
    this.alert.hidden = false;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.clear(), 12_000);
  }

  clear(): void {
    clearTimeout(this.timer);
    this.alert.hidden = true;
    this.text.textContent = '';
  }
}
