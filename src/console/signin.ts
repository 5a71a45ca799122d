import { el } from './dom.js';

/** The sign-in form: the agent token (a password field), submitted with Enter or 登录. */
export class SignIn {
  readonly root = el('section', { id: 'signin', class: 'signin', 'aria-labelledby': 'signin-title' });
  private readonly input = el('input', {
    id: 'token',
    name: 'token',
    type: 'password',
    autocomplete: 'current-password',
    required: '',
    spellcheck: 'false',
  });
  private readonly message = el('p', { class: 'error', role: 'alert', id: 'signin-error' });

  constructor(submit: (token: string) => void) {
    const form = el(
      'form',
      { 'aria-describedby': 'signin-error' },
      el('label', { for: 'token' }, '坐席令牌'),
      this.input,
      el('button', { type: 'submit', class: 'primary' }, '登录'),
    );
    this.root.append(el('h1', { id: 'signin-title' }, '医保热线助手 · 坐席工作台'), form, this.message);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const token = this.input.value.trim();
      if (!token) {
        this.message.textContent = '请输入坐席令牌';
        this.input.focus();
        return;
      }
      this.input.value = '';
      this.message.textContent = '';
      submit(token);
    });
  }

  show(message = ''): void {
    this.message.textContent = message;
    this.root.hidden = false;
    this.input.focus();
  }

  hide(): void {
    this.root.hidden = true;
  }
}
