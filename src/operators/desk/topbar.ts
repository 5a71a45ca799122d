import { button, el } from '../../console/dom.js';

/** The bar over the desk: its title, who is signed in, and 退出. */
export class TopBar {
  readonly root = el('header', { class: 'topbar' });
  private readonly who = el('span', { id: 'operator', class: 'operator' });
  private readonly signOut = button('退出', 'signout', { id: 'signout' });

  constructor(signOut: () => void) {
    this.signOut.addEventListener('click', signOut);
    this.root.append(el('p', { class: 'title' }, '运营工作台'), this.who, this.signOut);
  }

  /** Signed out, only the title shows. */
  setOperator(op: { id: string; name: string } | null): void {
    this.who.textContent = op ? `运营 ${op.name && op.name !== op.id ? `${op.name}（${op.id}）` : op.id}` : '';
    this.who.hidden = !op;
    this.signOut.hidden = !op;
  }
}
