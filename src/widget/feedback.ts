import { el } from './dom.js';
import type { Labels } from './labels.js';

export type Verdict =
  | { type: 'feedback'; id: string; seq: number; vote: 'up' | 'down'; reason?: string; comment?: string }
  | { type: 'rating'; id: string; score: number; comment?: string };

const REASONS = ['unanswered', 'wrong', 'unclear', 'other'] as const;

/** A form's controls, switched off once its verdict is sent (the server's `feedback` frame thanks for it). */
function settle(box: HTMLElement, note: string): void {
  for (const c of box.querySelectorAll<HTMLButtonElement | HTMLInputElement | HTMLTextAreaElement>('button, input, textarea'))
    c.disabled = true;
  const said = box.querySelector('.said');
  if (said) said.textContent = note;
}

function comment(L: Labels): HTMLTextAreaElement {
  return el('textarea', { class: 'comment', maxlength: '200', rows: '2', 'aria-label': L.comment, placeholder: L.comment });
}

/**
 * Under an answer: 有帮助 / 没帮助 (好差评). 没帮助 opens the reasons (没回答我的问题, 信息不对, 看不懂, 其他) and a
 * comment of up to 200 characters, sent with 提交. One verdict per answer: the controls go quiet once sent.
 */
export function answerVerdict(seq: number, L: Labels, send: (v: Verdict) => void): HTMLElement {
  const id = `f${seq}`;
  const box = el('div', { class: 'verdict', role: 'group', 'aria-label': L.helpful, 'data-verdict': id });
  const up = el('button', { type: 'button', class: 'vote up', 'aria-pressed': 'false' }, L.up);
  const down = el('button', { type: 'button', class: 'vote down', 'aria-pressed': 'false', 'aria-expanded': 'false' }, L.down);
  const said = el('span', { class: 'said', role: 'status' });
  const why = el('fieldset', { class: 'why', hidden: '' });
  why.append(el('legend', {}, L.why));
  REASONS.forEach((r, i) => {
    const label = el('label');
    label.append(el('input', { type: 'radio', name: `why-${seq}`, value: r, ...(i === 0 ? { checked: '' } : {}) }), L.reasons[r]);
    why.append(label);
  });
  const note = comment(L);
  const submit = el('button', { type: 'button', class: 'submit' }, L.submit);
  why.append(note, submit);
  up.addEventListener('click', () => {
    up.setAttribute('aria-pressed', 'true');
    send({ type: 'feedback', id, seq, vote: 'up' });
    settle(box, L.sent);
  });
  down.addEventListener('click', () => {
    down.setAttribute('aria-pressed', 'true');
    down.setAttribute('aria-expanded', 'true');
    why.hidden = false;
    why.querySelector<HTMLInputElement>('input')?.focus();
  });
  submit.addEventListener('click', () => {
    const reason = why.querySelector<HTMLInputElement>('input:checked')?.value;
    const text = note.value.trim();
    send({ type: 'feedback', id, seq, vote: 'down', ...(reason ? { reason } : {}), ...(text ? { comment: text } : {}) });
    settle(box, L.sent);
  });
  box.append(el('span', { class: 'ask' }, L.helpful), up, down, said, why);
  return box;
}

/** After a chat with a person: 非常满意 … 非常不满意 and a comment, sent with 提交. */
export function chatRating(L: Labels, send: (v: Verdict) => void, id: string): HTMLElement {
  const box = el('form', { class: 'rating', 'aria-label': L.rateTitle, 'data-verdict': id });
  const scores = el('fieldset', { class: 'scores' });
  scores.append(el('legend', {}, L.rateTitle));
  for (let score = 5; score >= 1; score--) {
    const label = el('label');
    label.append(
      el('input', { type: 'radio', name: `score-${id}`, value: String(score), ...(score === 5 ? { checked: '' } : {}) }),
      L.scores[score - 1] ?? '',
    );
    scores.append(label);
  }
  const note = comment(L);
  const submit = el('button', { type: 'submit', class: 'submit' }, L.submit);
  const said = el('span', { class: 'said', role: 'status' });
  box.append(scores, note, submit, said);
  box.addEventListener('submit', (e) => {
    e.preventDefault();
    const score = Number(box.querySelector<HTMLInputElement>('input:checked')?.value ?? 5);
    const text = note.value.trim();
    send({ type: 'rating', id, score, ...(text ? { comment: text } : {}) });
    settle(box, L.sent);
  });
  return box;
}

/** The server's word on a verdict: its thanks, or why it was refused (already given …), shown in its form. */
export function verdictAnswered(root: ShadowRoot | HTMLElement, id: string, text: string): boolean {
  const box = root.querySelector<HTMLElement>(`[data-verdict="${id}"]`);
  if (!box) return false;
  settle(box, text);
  return true;
}
