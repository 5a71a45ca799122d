import { el } from '../../console/dom.js';

/** The sign-in form: the operator token (a password field), submitted with Enter or 登录. */
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
  private readonly submit = el('button', { type: 'submit', class: 'primary' }, '登录');

  constructor(submit: (token: string) => void) {
    const form = el('form', { 'aria-describedby': 'signin-error' }, el('label', { for: 'token' }, '运营令牌'), this.input, this.submit);
    this.root.append(el('h1', { id: 'signin-title' }, '医保热线助手 · 运营工作台'), form, this.message);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const token = this.input.value.trim();
      if (!token) {
        this.message.textContent = '请输入运营令牌';
        this.input.focus();
        return;
      }
      this.message.textContent = '';
      this.busy(true);
      submit(token);
    });
  }

  busy(yes: boolean): void {
    this.submit.disabled = yes;
    this.submit.textContent = yes ? '登录中…' : '登录';
  }

  show(message = ''): void {
    this.busy(false);
    this.input.value = '';
    this.message.textContent = message;
    this.root.hidden = false;
    this.input.focus();
  }

  hide(): void {
    this.root.hidden = true;
  }
}
