import { HlError } from '../errors.js';
import type { KnowledgeBase } from './knowledge-base.js';

export type ReloadResult = { ok: true; kb: KnowledgeBase } | { ok: false; error: HlError; kb: KnowledgeBase | null };

/**
 * Holds the knowledge base that is serving and swaps in a new one atomically. A reload that fails (the
 * loader throws, or no notice could be loaded) leaves the old one serving and says why. Concurrent
 * reloads share one run.
 */
export class KnowledgeStore {
  private kb: KnowledgeBase | null = null;
  private pending: Promise<ReloadResult> | null = null;
  private readonly load: () => Promise<KnowledgeBase>;
  private waiting: ((kb: KnowledgeBase) => void)[] = [];

  constructor(load: () => Promise<KnowledgeBase>) {
    this.load = load;
  }

  /** The knowledge base now serving, or null before the first successful load. */
  get current(): KnowledgeBase | null {
    return this.kb;
  }

  /** The serving knowledge base; HL_ERR_KB_NOT_READY before the first load. */
  require(): KnowledgeBase {
    if (!this.kb) throw new HlError('HL_ERR_KB_NOT_READY');
    return this.kb;
  }

  /** The serving knowledge base, or the first one once it has loaded (for work that may wait for it). */
  loaded(): Promise<KnowledgeBase> {
    if (this.kb) return Promise.resolve(this.kb);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  reload(): Promise<ReloadResult> {
    this.pending ??= this.run().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  private async run(): Promise<ReloadResult> {
    try {
      const next = await this.load();
      if (next.notices.length === 0) {
        const reasons = next.skipped.map((s) => `${s.file}: ${s.message}`).join('; ') || 'the folder holds no .txt notice';
        return { ok: false, error: new HlError('HL_ERR_KB_EMPTY', [reasons]), kb: this.kb };
      }
      this.kb = next;
      for (const resolve of this.waiting.splice(0)) resolve(next);
      return { ok: true, kb: next };
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      return { ok: false, error: new HlError('HL_ERR_KB_RELOAD_FAILED', [reason], { cause: err }), kb: this.kb };
    }
  }
}
