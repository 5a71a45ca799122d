/**
 * The chat widget: one script tag on any page adds a chat button and panel (shadow DOM), talking to the
 * service's /ws/chat. `<script src="https://host/widget.js" data-region="包头" data-title="医保咨询" async>`
 * (`data-sound="on"`: a short tone for a message that arrives while the panel is closed).
 * Everything the user or the server sends is rendered as text, never as HTML.
 */
import { link } from './connection.js';
import { chatRating, verdictAnswered } from './feedback.js';
import { trapFocus } from './focus.js';
import { Desk } from './handoff.js';
import { LABELS, type Labels, type LinkState } from './labels.js';
import { ChatLog } from './log.js';
import { Notifier } from './notify.js';
import { copyText, downloadText } from './save.js';
import { shell } from './shell.js';
import { KEYS, tabStore } from './storage.js';
import { stamp } from './time.js';
import { transcriptText } from './transcript.js';
import type { HistoryEntry, Script, ServerFrame } from './types.js';
import { pinToViewport } from './viewport.js';

const script = document.currentScript as HTMLScriptElement | null;
const origin = script?.src ? new URL(script.src).origin : location.origin;
const region = script?.dataset.region || undefined;
const title = script?.dataset.title || '医保咨询';
const sound = script?.dataset.sound === 'on';

let labels: Labels = LABELS.simplified;
const ui = shell(title, labels);
const chat = new ChatLog(ui.log, {
  labels: (s) => (s ? LABELS[s] : labels),
  origin,
  now: Date.now,
  ask,
  verdict: (v) => connection.send(v),
});
const notifier = new Notifier(ui, () => labels, title, sound);
let linkState: LinkState = 'connecting';
let counter = 0;
/** `ready` frames in this page load: the first brings the history, later ones are reconnects. */
let readies = 0;
let outage = false;
/** The last agent line shown: a reconnect adds the agent's lines said while the connection was down. */
let lastAgentSeq = -1;
/** The user's lines not yet answered, by message id (an agent's ack marks them delivered). */
const sent = new Map<string, HTMLElement>();

const isOpen = () => !ui.panel.hidden;
const seen = () => isOpen() && document.visibilityState === 'visible';

function showState(s: LinkState): void {
  linkState = s;
  ui.state.textContent = labels.states[s];
  // A stable hook for pages and tests, whatever the script shown.
  ui.host.dataset.state = LABELS.simplified.states[s];
}

/** The labels follow the asker's script as the server last gave it. */
function useScript(s: Script | undefined): void {
  if (!s || LABELS[s] === labels) return;
  labels = LABELS[s];
  ui.relabel(labels);
  showState(linkState);
  notifier.render();
}

const connection = link(`${origin.replace(/^http/, 'ws')}/ws/chat`, {
  hello() {
    const sessionId = tabStore.get(KEYS.session);
    const resumeToken = tabStore.get(KEYS.token);
    return { type: 'hello', ...(sessionId && resumeToken ? { sessionId, resumeToken } : {}), ...(region ? { region } : {}) };
  },
  frame: handle,
  state: showState,
  dropped() {
    outage = true;
    chat.stopTyping();
    chat.system(labels.dropped, { event: 'dropped', keep: false });
  },
});

const desk = new Desk({
  chat,
  human: ui.human,
  labels: () => labels,
  send: (frame) => connection.send(frame),
  ticketId: () => `t${++counter}`,
});

function ask(text: string): void {
  const t = text.trim();
  if (!t) return;
  const id = `m${++counter}`;
  sent.set(id, chat.user(t));
  connection.start();
  connection.send({ type: 'message', id, text: t });
}

function history(entries: readonly HistoryEntry[]): void {
  chat.above(() => {
    for (const e of entries) {
      if (e.role === 'user') chat.user(e.text, e.at);
      else if (e.role === 'bot') chat.bot(e.reply ?? { type: 'answer', text: e.text, citations: [], suggestions: [] }, e.at, e.seq);
      else if (e.role === 'agent') chat.agent(e.text, e.at, e.agent?.name);
      else chat.system(e.text, { at: e.at, event: 'history' });
    }
  });
  for (const e of entries) if (e.role === 'agent') lastAgentSeq = Math.max(lastAgentSeq, e.seq);
  const last = [...entries].reverse().find((e) => e.reply?.script);
  useScript(last?.reply?.script);
}

function ready(f: Extract<ServerFrame, { type: 'ready' }>): void {
  tabStore.set(KEYS.session, f.sessionId);
  tabStore.set(KEYS.token, f.resumeToken);
  desk.state(f.state);
  if (readies++ === 0) {
    if (f.history?.length) history(f.history);
    return;
  }
  // A reconnect in the same page: the log is still here; only what the agent said meanwhile is new.
  if (outage) {
    outage = false;
    chat.system(labels.back, { event: 'reconnected', keep: false });
  }
  for (const e of f.history ?? []) {
    if (e.role === 'agent' && e.seq > lastAgentSeq) {
      chat.agent(e.text, e.at, e.agent?.name);
      lastAgentSeq = e.seq;
      notifier.incoming(seen());
    }
  }
}

function handle(f: ServerFrame): void {
  const focused = ui.root.activeElement as HTMLElement | null;
  switch (f.type) {
    case 'ready':
      ready(f);
      break;
    case 'typing':
      chat.startTyping();
      break;
    case 'reply':
      if (f.replyTo) sent.delete(f.replyTo);
      useScript(f.reply.script);
      chat.bot(f.reply, Date.now(), f.seq);
      notifier.incoming(seen());
      break;
    case 'ack': {
      chat.stopTyping();
      const mine = sent.get(f.replyTo);
      sent.delete(f.replyTo);
      // Waiting for a person: say the message is kept for them; with the person: mark it delivered.
      if (f.state === 'agent' && mine) chat.delivered(mine);
      else chat.system(f.text, { event: 'ack' });
      break;
    }
    case 'handoff':
      desk.news(f);
      if (f.offerRating) chat.attach(chatRating(labels, (v) => connection.send(v), `r${++counter}`));
      notifier.incoming(seen());
      break;
    case 'feedback':
      if (!(f.replyTo && verdictAnswered(ui.root, f.replyTo, f.text))) chat.system(f.text, { event: 'feedback' });
      break;
    case 'agent':
      if (typeof f.seq === 'number') lastAgentSeq = Math.max(lastAgentSeq, f.seq);
      chat.agent(f.text, f.at ?? Date.now(), f.agent?.name);
      notifier.incoming(seen());
      break;
    case 'ticket':
      desk.ticket(f.text);
      notifier.incoming(seen());
      break;
    case 'error': {
      if (f.replyTo) sent.delete(f.replyTo);
      // A verdict refused (already given, or the answer is gone): said in its own form.
      if (
        f.replyTo &&
        /^[fr]/.test(f.replyTo) &&
        verdictAnswered(ui.root, f.replyTo, f.code === 'HL_ERR_FEEDBACK_EXISTS' ? labels.rated : labels.failed)
      )
        break;
      chat.stopTyping();
      const why = f.code === 'HL_ERR_BAD_PHONE' ? labels.badPhone : f.code === 'HL_ERR_WS_RATE_LIMITED' ? labels.tooFast : null;
      if (!(f.replyTo?.startsWith('t') && desk.ticketError(why ?? f.text ?? labels.submitFailed)))
        // The server's own words when it has them (the store down: send again, or the region's hotline, cited).
        chat.bot({ type: 'fallback', text: why ?? f.text ?? labels.failed, citations: f.citations ?? [], suggestions: [] });
      break;
    }
  }
  // What had focus went away (the form sent, 取消排队 gone) or was switched off (转人工): stay in the dialog.
  if (focused && isOpen() && (!focused.isConnected || (focused as HTMLButtonElement).disabled)) ui.input.focus();
}

function say(text: string): void {
  ui.toast.textContent = text;
  setTimeout(() => {
    if (ui.toast.textContent === text) ui.toast.textContent = '';
  }, 5000);
}

function menu(open: boolean): void {
  ui.menu.hidden = !open;
  ui.more.setAttribute('aria-expanded', String(open));
}

function toggle(open: boolean, focus = true): void {
  ui.panel.hidden = !open;
  // While the dialog is open its ✕ closes it; the launcher leaves the page and the tab order.
  ui.launcher.hidden = open;
  ui.launcher.setAttribute('aria-expanded', String(open));
  tabStore.set(KEYS.open, open ? '1' : '');
  if (open) {
    connection.start();
    chat.toEnd();
    if (seen()) notifier.clear();
    if (focus) ui.input.focus();
  } else {
    menu(false);
    if (focus) ui.launcher.focus();
  }
}

const transcript = () => transcriptText(chat.lines, { title, labels, origin, now: Date.now() });

ui.launcher.addEventListener('click', () => toggle(true));
ui.close.addEventListener('click', () => toggle(false));
ui.more.addEventListener('click', () => menu(ui.menu.hidden));
ui.copy.addEventListener('click', async () => {
  const done = await copyText(transcript(), ui.panel);
  menu(false);
  ui.more.focus();
  say(done ? labels.copied : labels.copyFailed);
});
ui.download.addEventListener('click', () => {
  downloadText(transcript(), `${title}-${labels.transcript}-${stamp(Date.now())}.txt`, ui.panel);
  menu(false);
  ui.more.focus();
  say(labels.downloaded);
});
ui.human.addEventListener('click', () => {
  chat.user(labels.human);
  connection.start();
  connection.send({ type: 'handoff' });
  // The button is switched off while a person is asked for; the input keeps the focus in the dialog.
  ui.input.focus();
});
ui.form.addEventListener('submit', (e) => {
  e.preventDefault();
  ask(ui.input.value);
  ui.input.value = '';
});
trapFocus(ui.panel, ui.root);
// Escape closes the dialog from anywhere in it, and from the page when focus fell out of it.
ui.root.addEventListener('keydown', (e) => {
  if ((e as KeyboardEvent).key === 'Escape' && isOpen()) {
    e.preventDefault();
    toggle(false);
  }
});
document.addEventListener('keydown', (e) => {
  if (!isOpen() || (document.activeElement && document.activeElement !== document.body)) return;
  if (e.key === 'Escape') toggle(false);
  else if (e.key === 'Tab') {
    e.preventDefault();
    ui.input.focus();
  }
});
document.addEventListener('visibilitychange', () => {
  if (seen()) notifier.clear();
});

function mount(): void {
  document.body.append(ui.host);
  pinToViewport(ui.host, () => {
    if (isOpen()) chat.toEnd();
  });
  showState('connecting');
  // After a reload: back in the conversation (and the panel open if it was).
  if (tabStore.get(KEYS.session)) connection.start();
  if (tabStore.get(KEYS.open) === '1') toggle(true, false);
}

if (document.body) mount();
else document.addEventListener('DOMContentLoaded', mount, { once: true });
