import { el } from './dom.js';
import type { Labels } from './labels.js';

export interface TicketForm {
  form: HTMLFormElement;
  /** Say what is wrong under the form. */
  error(text: string): void;
}

/** The callback form (phone and question); the server checks the number and answers with a ticket id. */
export function ticketForm(L: Labels, submit: (phone: string, question: string) => void): TicketForm {
  const form = el('form', { class: 'ticket', 'aria-label': L.ticketForm });
  const phone = el('input', {
    type: 'tel',
    name: 'phone',
    autocomplete: 'tel',
    'aria-label': L.phone,
    placeholder: L.phonePlaceholder,
    maxlength: '40',
  });
  const question = el('input', {
    type: 'text',
    name: 'question',
    'aria-label': L.question,
    placeholder: L.questionPlaceholder,
    maxlength: '500',
  });
  const button = el('button', { type: 'submit' }, L.submitTicket);
  const error = el('p', { class: 'error', role: 'alert' });
  form.append(phone, question, button, error);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    error.textContent = '';
    submit(phone.value, question.value);
  });
  return {
    form,
    error(text) {
      error.textContent = text;
    },
  };
}
