import type { Labels } from './labels.js';
import type { Shell } from './shell.js';

const FLASH_MS = 1000;

/**
 * New messages the citizen has not seen (the panel closed, or the page in the background): a count on the
 * launcher that is also in its accessible name (医保咨询（2条新消息）), the page title alternating with 【新消息】, and, when the
 * host page asks for it (`data-sound="on"`), a short tone — only once the user has touched the widget, so
 * the browser's autoplay rules never refuse it.
 */
export class Notifier {
  private count = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  /** The page's own title while ours flashes. */
  private page = '';
  private audio: AudioContext | null = null;

  constructor(
    private readonly ui: Shell,
    private readonly labels: () => Labels,
    private readonly title: string,
    sound: boolean,
  ) {
    if (sound) {
      const unlock = () => this.unlock();
      ui.root.addEventListener('pointerdown', unlock, true);
      ui.root.addEventListener('keydown', unlock, true);
    }
  }

  get unread(): number {
    return this.count;
  }

  /** A line from the bot, an agent or the desk arrived; `seen` when the panel is open on a visible page. */
  incoming(seen: boolean): void {
    if (seen) return;
    this.count++;
    this.render();
    this.flash();
    this.beep();
  }

  clear(): void {
    this.count = 0;
    this.render();
    if (this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
      document.title = this.page;
    }
  }

  render(): void {
    const { badge, launcher } = this.ui;
    badge.hidden = this.count === 0;
    badge.textContent = this.count > 99 ? '99+' : String(this.count);
    launcher.setAttribute('aria-label', this.count > 0 ? `${this.title}${this.labels().unread(this.count)}` : this.title);
  }

  private flash(): void {
    if (this.timer !== null) return;
    this.page = document.title;
    let on = false;
    const tick = () => {
      const prefix = this.labels().newMessage;
      // The page changed its own title meanwhile: flash that one.
      if (document.title !== this.page && document.title !== `${prefix}${this.page}`) this.page = document.title;
      on = !on;
      document.title = on ? `${prefix}${this.page}` : this.page;
    };
    tick();
    this.timer = setInterval(tick, FLASH_MS);
  }

  private unlock(): void {
    try {
      this.audio ??= new AudioContext();
      if (this.audio.state === 'suspended') this.audio.resume().catch(() => undefined);
    } catch {
      this.audio = null;
    }
  }

  private beep(): void {
    const ctx = this.audio;
    if (ctx?.state !== 'running') return;
    try {
      const tone = ctx.createOscillator();
      const gain = ctx.createGain();
      tone.frequency.value = 880;
      gain.gain.setValueAtTime(0.0001, ctx.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.2, ctx.currentTime + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + 0.25);
      tone.connect(gain).connect(ctx.destination);
      tone.start();
      tone.stop(ctx.currentTime + 0.3);
    } catch {
      // no sound, no error
    }
  }
}
