import type { Labels } from './labels.js';
import { clock, day } from './time.js';
import type { Citation } from './types.js';

/** A line of the conversation as the citizen saw it, kept for 复制对话 / 下载对话. */
export interface Line {
  at: number;
  who: 'user' | 'bot' | 'agent' | 'system';
  text: string;
  /** The agent's name, when the server gives it. */
  agent?: string;
  citations?: readonly Citation[];
}

const indent = (text: string, by: string) => text.replace(/\n/g, `\n${by}`);

/** Who said a line, in the reader's script: 我, 智能助手, 人工客服 · 王芳, 提示. */
export function speaker(line: Pick<Line, 'who' | 'agent'>, labels: Labels): string {
  if (line.who === 'user') return labels.you;
  if (line.who === 'bot') return labels.bot;
  if (line.who === 'agent') return line.agent ? `${labels.agent} · ${line.agent}` : labels.agent;
  return labels.system;
}

/**
 * The conversation as plain text a citizen can keep: the service's title and the date, then each line with its
 * time and who said it, the bot's answers with their sources (title, date, clause, link) and the quoted rule,
 * ticket numbers as the desk gave them.
 */
export function transcriptText(lines: readonly Line[], o: { title: string; labels: Labels; origin: string; now: number }): string {
  const { labels: L, now } = o;
  const out = [`${o.title} · ${L.transcript}`, `${L.date}：${day(now)} ${clock(now, now)}`, ''];
  for (const line of lines) {
    out.push(`[${clock(line.at, now)}] ${speaker(line, L)}：${indent(line.text, '  ')}`);
    for (const c of line.citations ?? []) {
      const title = `${c.title ?? c.notice}${c.date ? `（${c.date}）` : ''}`;
      out.push(`  ${L.source}：${title} ${c.clause} ${new URL(c.url, o.origin).href}`);
      out.push(`  ${L.quote}：${indent(c.quote, '    ')}`);
    }
  }
  return `${out.join('\n')}\n`;
}
