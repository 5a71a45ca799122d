import { el } from './dom.js';

/** What a sign-in form is for: the token's name and the page's title (the agents' console, the operators' desk). */
export interface SignInLabels {
  token: string;
  title: string;
}

const AGENT: SignInLabels = { token: '坐席令牌', title: '医保热线助手 · 坐席工作台' };

/**
 * The sign-in form: the token (a password field), submitted with Enter or 登录. The field is emptied as it is sent,
 * and the button says 登录中… until the form is shown again (a refusal) or hidden (signed in).
 */
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
  private readonly button = el('button', { type: 'submit', class: 'primary' }, '登录');

  constructor(submit: (token: string) => void, labels: SignInLabels = AGENT) {
    const form = el('form', { 'aria-describedby': 'signin-error' }, el('label', { for: 'token' }, labels.token), this.input, this.button);
    this.root.append(el('h1', { id: 'signin-title' }, labels.title), form, this.message);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const token = this.input.value.trim();
      if (!token) {
        this.message.textContent = `请输入${labels.token}`;
        this.input.focus();
        return;
      }
      this.input.value = '';
      this.message.textContent = '';
      this.busy(true);
      submit(token);
    });
  }

  private busy(yes: boolean): void {
    this.button.disabled = yes;
    this.button.textContent = yes ? '登录中…' : '登录';
  }

  show(message = ''): void {
    this.busy(false);
    this.message.textContent = message;
    this.root.hidden = false;
    this.input.focus();
  }

  hide(): void {
    this.busy(false);
    this.root.hidden = true;
  }
}
