import { el } from './dom.js';
import type { Labels } from './labels.js';
import { STYLE } from './style.js';

/** The widget's elements: a launcher and a dialog panel in a shadow root, the host page's CSS kept out. */
export interface Shell {
  host: HTMLElement;
  root: ShadowRoot;
  frame: HTMLElement;
  launcher: HTMLButtonElement;
  badge: HTMLElement;
  panel: HTMLElement;
  state: HTMLElement;
  human: HTMLButtonElement;
  more: HTMLButtonElement;
  menu: HTMLElement;
  copy: HTMLButtonElement;
  download: HTMLButtonElement;
  close: HTMLButtonElement;
  log: HTMLElement;
  toast: HTMLElement;
  form: HTMLFormElement;
  input: HTMLInputElement;
  send: HTMLButtonElement;
  /** Put the widget's own words in a script's labels. */
  relabel(L: Labels): void;
}

/** A speech bubble, drawn (an emoji needs a font the device may not have). */
function icon(): SVGSVGElement {
  const NS = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '20');
  svg.setAttribute('height', '20');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = document.createElementNS(NS, 'path');
  path.setAttribute('fill', 'currentColor');
  path.setAttribute(
    'd',
    'M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6.5a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01z',
  );
  svg.append(path);
  return svg;
}

export function shell(title: string, L: Labels): Shell {
  // An element of its own (not a div), so the host page's element rules don't reach the host either.
  const host = document.createElement('hl-chat-widget');
  host.id = 'hl-chat-widget';
  const root = host.attachShadow({ mode: 'open' });
  const style = el('style');
  style.textContent = STYLE;
  const frame = el('div', { class: 'frame', lang: L.lang });

  const launcher = el('button', { class: 'launcher', type: 'button', 'aria-expanded': 'false', 'aria-controls': 'hl-panel' });
  // Its name is the title, and how many new messages there are (notify.ts); the count's badge is for the eye.
  launcher.setAttribute('aria-label', title);
  const badge = el('span', { class: 'badge', 'aria-hidden': 'true', hidden: '' });
  launcher.append(icon(), el('span', {}, title), badge);

  const panel = el('section', {
    class: 'panel',
    id: 'hl-panel',
    role: 'dialog',
    'aria-modal': 'true',
    'aria-labelledby': 'hl-title',
    hidden: '',
  });
  const header = el('header');
  const titles = el('div', { class: 'titles' });
  const state = el('span', { class: 'state', role: 'status' });
  titles.append(el('h2', { id: 'hl-title' }, title), state);
  const human = el('button', { type: 'button', class: 'human' });
  const more = el('button', { type: 'button', class: 'more', 'aria-expanded': 'false', 'aria-controls': 'hl-menu' });
  const close = el('button', { type: 'button', class: 'close' }, '✕');
  header.append(titles, human, more, close);
  const menu = el('div', { class: 'menu', id: 'hl-menu', hidden: '' });
  const copy = el('button', { type: 'button', class: 'copy' });
  const download = el('button', { type: 'button', class: 'download' });
  menu.append(copy, download);
  // Focusable, so the log scrolls by keyboard too.
  const log = el('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', tabindex: '0' });
  const toast = el('p', { class: 'toast', role: 'status' });
  const form = el('form', { class: 'ask' });
  const input = el('input', { type: 'text', maxlength: '500', enterkeyhint: 'send' });
  const send = el('button', { type: 'submit' });
  form.append(input, send);
  panel.append(header, menu, log, toast, form);
  frame.append(launcher, panel);
  root.append(style, frame);

  const relabel = (l: Labels) => {
    frame.lang = l.lang;
    human.textContent = l.human;
    more.textContent = l.more;
    close.setAttribute('aria-label', l.close);
    copy.textContent = l.copy;
    download.textContent = l.download;
    log.setAttribute('aria-label', l.log);
    input.setAttribute('aria-label', l.input);
    input.placeholder = l.placeholder;
    send.textContent = l.send;
  };
  relabel(L);
  return {
    host,
    root,
    frame,
    launcher,
    badge,
    panel,
    state,
    human,
    more,
    menu,
    copy,
    download,
    close,
    log,
    toast,
    form,
    input,
    send,
    relabel,
  };
}
