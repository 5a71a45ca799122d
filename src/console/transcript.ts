import { sources } from './citations.js';
import { button, clock, el, time } from './dom.js';
import { SYSTEM_TEXT } from './labels.js';
import type { Entry, Suggestion } from './protocol.js';

const WHO: Readonly<Record<string, string>> = { user: '用户', bot: '机器人', agent: '坐席', system: '系统' };

/** `85%` */
export function percent(confidence: number): string {
  return Number.isFinite(confidence) ? `${Math.round(confidence * 100)}%` : '—';
}

/** One transcript line: who and when, the text, and for the bot its sources. */
export function renderEntry(entry: Entry, me: string): HTMLElement {
  const role = WHO[entry.role] ? entry.role : 'system';
  const node = el('div', { class: `entry ${role}`, 'data-role': role, 'data-seq': String(entry.seq) });
  if (role === 'system') {
    node.append(time(entry.at, clock(entry.at)), ' ', el('span', { class: 'text' }, SYSTEM_TEXT[entry.text] ?? entry.text));
    return node;
  }
  const who =
    role === 'agent' && entry.agentId && entry.agentId !== me ? `坐席 ${entry.agentId}` : role === 'agent' ? '我' : (WHO[role] ?? '');
  node.append(el('div', { class: 'who' }, who, ' ', time(entry.at, clock(entry.at))));
  node.append(el('div', { class: 'text' }, entry.reply?.text ?? entry.text));
  const list = sources(entry.reply?.citations);
  if (list) node.append(list);
  return node;
}

/** The bot's suggestion under a user message, with its sources and a 采用 button. */
export function renderBotSuggestion(seq: number, suggestion: Suggestion, use: (text: string) => void): HTMLElement {
  const adopt = button('采用', 'use', { 'aria-label': '采用机器人建议，填入回复框' });
  adopt.addEventListener('click', () => use(suggestion.text));
  const node = el(
    'div',
    { class: 'suggestion bot', 'data-for': String(seq) },
    el(
      'div',
      { class: 'head' },
      el('strong', {}, '机器人建议'),
      el('span', { class: 'muted' }, ` 置信度 ${percent(suggestion.confidence)}`),
    ),
    el('div', { class: 'text' }, suggestion.text),
  );
  const list = sources(suggestion.citations);
  if (list) node.append(list);
  node.append(adopt);
  return node;
}
