import { el } from './dom.js';
import { answerVerdict, type Verdict } from './feedback.js';
import type { Labels } from './labels.js';
import { sourcesList } from './sources.js';
import { timeElement } from './time.js';
import { type Line, speaker } from './transcript.js';
import type { Citation, Reply, Script } from './types.js';

export interface LogContext {
  /** The label table of a script, or the widget's current one. */
  labels(script?: Script): Labels;
  origin: string;
  now(): number;
  /** A suggestion chip was clicked. */
  ask(text: string): void;
  /** 好差评 given under an answer. */
  verdict(v: Verdict): void;
}

/**
 * The conversation on screen (`role=log`) and the same lines kept as text for 复制对话 / 下载对话. Every line
 * shows its time; history from a resume goes above anything said since the page loaded.
 */
export class ChatLog {
  readonly lines: Line[] = [];
  private readonly kept = new WeakMap<HTMLElement, Line>();
  private typing: HTMLElement | null = null;
  /** While set, lines go here (history), to be put at the top in one go. */
  private batch: { nodes: DocumentFragment; lines: Line[] } | null = null;

  constructor(
    readonly box: HTMLElement,
    private readonly ctx: LogContext,
  ) {}

  user(text: string, at = this.ctx.now()): HTMLElement {
    const box = el('div', { class: 'msg user' });
    box.append(el('span', { class: 'text' }, text), this.meta(at));
    return this.place(box, { at, who: 'user', text });
  }

  /** A bot line; an answer with its transcript `seq` gets 有帮助 / 没帮助 under it. */
  bot(reply: Reply, at = this.ctx.now(), seq?: number): HTMLElement {
    this.stopTyping();
    const L = this.ctx.labels(reply.script);
    const box = el('div', { class: `msg bot ${reply.type}`, 'data-type': reply.type });
    box.append(el('span', { class: 'text' }, reply.text));
    const sources = sourcesList(reply.citations, L, this.ctx.origin);
    if (sources) box.append(sources);
    if (reply.suggestions.length > 0) {
      const chips = el('div', { class: 'chips', role: 'group', 'aria-label': L.suggestions });
      for (const s of reply.suggestions) {
        const chip = el('button', { type: 'button', class: 'chip' }, s);
        chip.addEventListener('click', () => this.ctx.ask(s));
        chips.append(chip);
      }
      box.append(chips);
    }
    if (reply.type === 'answer' && seq !== undefined) box.append(answerVerdict(seq, L, (v) => this.ctx.verdict(v)));
    box.append(this.meta(at));
    return this.place(box, { at, who: 'bot', text: reply.text, citations: reply.citations });
  }

  agent(text: string, at = this.ctx.now(), name?: string): HTMLElement {
    this.stopTyping();
    const who = speaker({ who: 'agent', ...(name ? { agent: name } : {}) }, this.ctx.labels());
    const box = el('div', { class: 'msg agent', 'data-role': 'agent' });
    const head = el('span', { class: 'who' }, `${who} · `);
    head.append(timeElement(at, this.ctx.now()));
    box.append(head, el('span', { class: 'text' }, text));
    return this.place(box, { at, who: 'agent', text, ...(name ? { agent: name } : {}) });
  }

  /**
   * A note from the desk (with its sources: the region's hotline) or from the widget; `keep: false` leaves it
   * out of the saved conversation (the connection's notes).
   */
  system(text: string, o: { at?: number; event?: string; citations?: readonly Citation[]; keep?: boolean } = {}): HTMLElement {
    this.stopTyping();
    const at = o.at ?? this.ctx.now();
    const box = el('div', { class: 'msg system', ...(o.event ? { 'data-event': o.event } : {}) });
    box.append(el('span', { class: 'text' }, text));
    const sources = sourcesList(o.citations ?? [], this.ctx.labels(), this.ctx.origin);
    if (sources) box.append(sources);
    box.append(this.meta(at));
    return this.place(
      box,
      o.keep === false ? null : { at, who: 'system', text, ...(o.citations?.length ? { citations: o.citations } : {}) },
    );
  }

  /** Take a line back (a place in the queue that a newer one replaces). */
  drop(node: HTMLElement): void {
    const line = this.kept.get(node);
    if (line) this.lines.splice(this.lines.indexOf(line), 1);
    node.remove();
  }

  /** Mark the user's line as received by the person (an ack while an agent has the chat). */
  delivered(node: HTMLElement): void {
    const meta = node.querySelector('.meta');
    if (meta && !meta.querySelector('.delivered')) meta.append(el('span', { class: 'delivered' }, ` · ${this.ctx.labels().delivered}`));
  }

  /** Anything else in the log (the callback form). */
  attach(node: HTMLElement): void {
    this.box.append(node);
    this.toEnd();
  }

  startTyping(): void {
    if (this.typing) return;
    this.typing = el('div', { class: 'typing' }, this.ctx.labels().typing);
    this.box.append(this.typing);
    this.toEnd();
  }

  stopTyping(): void {
    this.typing?.remove();
    this.typing = null;
  }

  /** Lines rendered inside `fill` go above everything already shown, in their order (a resume's history). */
  above(fill: () => void): void {
    this.batch = { nodes: document.createDocumentFragment(), lines: [] };
    try {
      fill();
    } finally {
      const { nodes, lines } = this.batch;
      this.batch = null;
      this.box.setAttribute('aria-busy', 'true');
      this.box.prepend(nodes);
      this.lines.unshift(...lines);
      this.box.removeAttribute('aria-busy');
      this.toEnd();
    }
  }

  /** Scroll to the newest line (no-op while the panel is hidden; opening scrolls again). */
  toEnd(): void {
    this.box.scrollTop = this.box.scrollHeight;
  }

  private meta(at: number): HTMLElement {
    const meta = el('span', { class: 'meta' });
    meta.append(timeElement(at, this.ctx.now()));
    return meta;
  }

  private place(node: HTMLElement, line: Line | null): HTMLElement {
    if (line) this.kept.set(node, line);
    if (this.batch) {
      this.batch.nodes.append(node);
      if (line) this.batch.lines.push(line);
    } else {
      this.box.append(node);
      if (line) this.lines.push(line);
      this.toEnd();
    }
    return node;
  }
}
