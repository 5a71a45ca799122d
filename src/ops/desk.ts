import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LRUCache } from 'lru-cache';
import type { Assistant } from '../dialogue/assistant.js';
import { HlError } from '../errors.js';
import type { EvalItem } from '../eval/judge.js';
import type { Ask } from '../eval/score.js';
import type { KnowledgeBase } from '../kb/knowledge-base.js';
import { buildFromDir } from '../kb/load.js';
import type { KnowledgeStore, ReloadResult } from '../kb/store.js';
import type { Store } from '../store/types.js';
import { dayRange, shanghaiDay } from './day.js';
import { noticeExpiries } from './expiry.js';
import { exportSet, parseSet } from './export.js';
import { groupMisses, MAX_GROUPED, questionTerms } from './groups.js';
import { writeAtomic } from './knowledge/files.js';
import { NoticeDesk } from './knowledge/publish.js';
import type { Staging } from './knowledge/staging.js';
import { trends } from './trends.js';
import type { ExportExpect, GroupBy, GroupsResponse, Miss, MissFilter, MissKind, TrendsResponse } from './types.js';

export interface OperatorsDeskOptions {
  store: Store;
  knowledge: KnowledgeStore;
  knowledgeDir: string;
  assistant: Assistant;
  /** A reload of the knowledge base here and on every other instance (the app's `reloadKnowledge`). */
  reload: () => Promise<ReloadResult>;
  /** OPS_DIR: staging/, sets/, publishes/. */
  dir: string;
  evalFloor: number;
  evalFiles: readonly string[];
  expirySoonDays: number;
  now?: () => number;
}

/** How long a grouping of misses is reused. */
export const GROUPS_TTL_MS = 30_000;

/** A set exported by an operator: `ops-<name>.jsonl` under OPS_DIR/sets. */
const SET_FILE = /^ops-([a-z0-9][a-z0-9-]{0,39})\.jsonl$/;

/**
 * What the operators' desk does (issue 16), behind its routes (src/channels/ops.ts): reads the misses the
 * concierge records and groups them; counts the days' replies and verdicts; exports a group's questions as a
 * labelled set; stages notices, previews them against the live knowledge base, publishes and rolls back; lists
 * temporary notices by their end date.
 */
export class OperatorsDesk {
  private readonly now: () => number;
  private readonly staging: Staging;
  private readonly notices: NoticeDesk;
  private readonly setsDir: string;
  private readonly terms: (text: string) => string[];
  private readonly grouped = new LRUCache<string, Promise<GroupsResponse>>({ max: 50, ttl: GROUPS_TTL_MS });

  constructor(private readonly o: OperatorsDeskOptions) {
    this.now = o.now ?? Date.now;
    this.setsDir = join(o.dir, 'sets');
    // Place names are left out of the terms: the places are grouped by region.
    this.terms = questionTerms(o.assistant.language, (w) => o.knowledge.current?.regions.isPlaceWord(w) ?? false);
    // The labelled sets are scored on a detached assistant: no conversation of the service's, no cached reply.
    const scorer = o.assistant.detached();
    this.notices = new NoticeDesk({
      knowledgeDir: o.knowledgeDir,
      opsDir: o.dir,
      build: (dir: string) => buildFromDir(dir),
      reload: o.reload,
      evaluate: {
        sets: () => this.labelledSets(),
        ask:
          (kb: KnowledgeBase): Ask =>
          (text, sessionId, region) =>
            scorer.ask(kb, { text, sessionId, ...(region ? { region } : {}) }),
      },
      floor: o.evalFloor,
      now: this.now,
    });
    this.staging = this.notices.staging;
  }

  private since(days: number): number {
    // From the start of the first of the `days` days, in China.
    const first = dayRange(this.now(), days)[0] as string;
    return Date.parse(`${first}T00:00:00+08:00`);
  }

  misses(q: { days: number; limit: number } & Omit<MissFilter, 'since' | 'limit'>): Promise<Miss[]> {
    const { days, ...filter } = q;
    return this.o.store.listMisses({ ...filter, since: this.since(days) });
  }

  /**
   * Grouping a thousand questions takes up to a second or two of this process's time (the clustering is cubic):
   * a grouping is kept for GROUPS_TTL_MS, so a desk's page loads and tab switches do not redo it.
   */
  groups(q: { by: GroupBy; days: number; kind?: MissKind; region?: string; intent?: string }): Promise<GroupsResponse> {
    const key = JSON.stringify([q.by, q.days, q.kind, q.region, q.intent]);
    let kept = this.grouped.get(key);
    if (!kept) {
      kept = this.groupNow(q);
      this.grouped.set(key, kept);
      kept.catch(() => this.grouped.delete(key));
    }
    return kept;
  }

  private async groupNow(q: { by: GroupBy; days: number; kind?: MissKind; region?: string; intent?: string }): Promise<GroupsResponse> {
    const { by, days: n, ...filter } = q;
    const days = dayRange(this.now(), n);
    const misses = await this.o.store.listMisses({ ...filter, since: this.since(n), limit: MAX_GROUPED });
    const kb = this.o.knowledge.current;
    const groups = groupMisses(misses, {
      by,
      terms: this.terms,
      days,
      dayOf: shanghaiDay,
      title: (id) => kb?.notice(id)?.meta.title ?? null,
    });
    return { days, by, total: misses.length, groups };
  }

  /**
   * The trends: the days' replies and verdicts from the store, and the top unanswered topics from the same grouping
   * by similar question the groups tab shows (kept GROUPS_TTL_MS), counting each group's handoffs and fallbacks.
   */
  async trends(n: number): Promise<TrendsResponse> {
    const days = dayRange(this.now(), n);
    const since = this.since(n);
    const [replies, feedback, grouped] = await Promise.all([
      this.o.store.dailyReplies(since),
      this.o.store.dailyFeedback(since),
      this.groups({ by: 'question', days: n }),
    ]);
    const unanswered = grouped.groups
      .map((g) => ({ ...g, count: (g.kinds.handoff ?? 0) + (g.kinds.fallback ?? 0) }))
      .filter((g) => g.count > 0);
    return trends({ days, replies, feedback, unanswered });
  }

  /** The misses' questions as a labelled set, kept as ops-<name>.jsonl (and scored with every staged notice). */
  async exportSet(input: { ids: number[]; expect: ExportExpect; name: string; tags?: string[]; operator: string }) {
    const misses = (await this.o.store.listMisses({ ids: input.ids })).filter((m) => m.text.trim() !== '');
    if (misses.length === 0) throw new HlError('HL_ERR_BAD_SET', ['none of the misses named has a question']);
    let jsonl: string;
    try {
      jsonl = exportSet(
        misses.map((m) => ({ text: m.text, region: m.region })),
        input.expect,
        { prefix: `ops-${input.name}`, tags: ['operators', ...(input.tags ?? [])] },
      );
    } catch (err) {
      throw new HlError('HL_ERR_BAD_SET', [(err as Error).message], { cause: err });
    }
    const file = `ops-${input.name}.jsonl`;
    await mkdir(this.setsDir, { recursive: true });
    await writeAtomic(join(this.setsDir, file), jsonl);
    return { name: input.name, file, items: jsonl.split('\n').filter(Boolean).length, jsonl };
  }

  async sets(): Promise<{ name: string; file: string; items: number; at: number }[]> {
    const out = [];
    for (const file of await this.setFiles()) {
      const path = join(this.setsDir, file);
      const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
      out.push({
        name: SET_FILE.exec(file)?.[1] as string,
        file,
        items: text.split('\n').filter((l) => l.trim()).length,
        at: Math.round(info.mtimeMs),
      });
    }
    return out.sort((a, b) => b.at - a.at);
  }

  async set(name: string): Promise<{ file: string; jsonl: string }> {
    const file = `ops-${name}.jsonl`;
    if (!SET_FILE.test(file)) throw new HlError('HL_ERR_SET_NOT_FOUND', [name]);
    try {
      return { file, jsonl: await readFile(join(this.setsDir, file), 'utf8') };
    } catch {
      throw new HlError('HL_ERR_SET_NOT_FOUND', [name]);
    }
  }

  private async setFiles(): Promise<string[]> {
    try {
      return (await readdir(this.setsDir)).filter((f) => SET_FILE.test(f)).sort();
    } catch {
      return [];
    }
  }

  /** The project's labelled sets (OPS_EVAL_FILES, those that exist) and the operators' exported ones. */
  private async labelledSets(): Promise<{ name: string; items: EvalItem[] }[]> {
    const files = [...this.o.evalFiles, ...(await this.setFiles()).map((f) => join(this.setsDir, f))];
    const out: { name: string; items: EvalItem[] }[] = [];
    for (const file of files) {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch {
        continue;
      }
      out.push({ name: file.split('/').at(-1) as string, items: parseSet(text) });
    }
    return out;
  }

  staged() {
    return this.staging.list();
  }

  stage(name: string, bytes: Buffer) {
    return this.staging.put(name, bytes);
  }

  unstage(name: string) {
    return this.staging.remove(name);
  }

  /**
   * What publishing the staged files would do, shaped for the desk's page: the staged notices' build report, the
   * diff per notice (and the live notices the staged build would lose), and every labelled set on both.
   */
  async preview() {
    const p = await this.notices.preview(this.o.knowledge.require());
    return {
      fingerprint: p.fingerprint,
      liveBuiltAt: p.liveBuiltAt,
      staged: p.staged,
      report: p.report,
      diff: p.diff.notices,
      gone: p.diff.gone,
      eval: {
        sets: p.eval.map((set) => ({ ...set, changed: set.changed.map(({ trend, ...turn }) => ({ ...turn, change: trend })) })),
        live: p.overall.live,
        staged: p.overall.staged,
      },
      floor: p.floor,
      belowFloor: p.belowFloor,
    };
  }

  /** Puts back what a publish or rollback cut short by a crash left half done; the files it restored. */
  recover(): Promise<string[]> {
    return this.notices.recover();
  }

  publish(input: { fingerprint: string; confirm?: boolean; note?: string; operator: string }) {
    return this.notices.publish(input, this.o.knowledge.require());
  }

  history() {
    return this.notices.history();
  }

  rollback(operator: string) {
    return this.notices.rollback({ operator });
  }

  expiry(soonDays = this.o.expirySoonDays) {
    const today = shanghaiDay(this.now());
    return { today, ...noticeExpiries(this.o.knowledge.require(), today, soonDays) };
  }

  async setExpiry(notice: string, expires: string | null) {
    if (!this.o.knowledge.require().notice(notice)) throw new HlError('HL_ERR_NOTICE_NOT_FOUND', [notice]);
    return this.staging.stageExpiry(this.o.knowledgeDir, notice, expires);
  }
}
