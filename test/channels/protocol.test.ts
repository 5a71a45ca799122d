/**
 * The two WebSocket protocols' client frames, checked frame by frame: what is accepted (and what the
 * frame becomes), and for what is refused the code, the message and the `replyTo`. Written against the
 * hand-written parsers before they became JSON Schemas (issue 13, item 8), so the schemas keep their
 * behaviour exactly.
 */
import { describe, expect, it } from 'vitest';
import { parseAgentFrame } from '../../src/channels/agent/protocol.js';
import { parseClientFrame } from '../../src/channels/web/protocol.js';

const chat = (frame: unknown, maxText = 500) => parseClientFrame(typeof frame === 'string' ? frame : JSON.stringify(frame), maxText);
const console_ = (frame: unknown, maxText = 500) => parseAgentFrame(typeof frame === 'string' ? frame : JSON.stringify(frame), maxText);

const badMessage = (message: string, replyTo?: string) => ({
  ok: false,
  code: 'HL_ERR_WS_BAD_MESSAGE',
  message,
  ...(replyTo ? { replyTo } : {}),
});

describe('chat client frames (/ws/chat)', () => {
  it('refuses what is not JSON, and JSON that is not an object, as a bad frame', () => {
    for (const raw of ['{not json', '', 'undefined']) {
      expect(chat(raw)).toEqual({ ok: false, code: 'HL_ERR_WS_BAD_FRAME', message: 'The frame is not JSON' });
    }
    for (const raw of ['[1,2]', 'null', '"hello"', '3', 'true']) {
      expect(chat(raw)).toEqual({ ok: false, code: 'HL_ERR_WS_BAD_FRAME', message: 'The frame must be a JSON object with a type' });
    }
  });

  it('names an unknown type and the types it takes, with no replyTo', () => {
    const expected = 'expected hello, message, handoff, cancel, ticket, feedback, rating or ping';
    expect(chat({ type: 'shout', id: 'a' })).toEqual({
      ok: false,
      code: 'HL_ERR_WS_UNKNOWN_TYPE',
      message: `Unknown frame type "shout"; ${expected}`,
    });
    expect(chat({})).toMatchObject({ message: `Unknown frame type null; ${expected}` });
    expect(chat({ type: 5 })).toMatchObject({ message: `Unknown frame type 5; ${expected}` });
    expect(chat({ type: ['ping'] })).toMatchObject({ code: 'HL_ERR_WS_UNKNOWN_TYPE', message: `Unknown frame type ["ping"]; ${expected}` });
  });

  it('takes ping, handoff and cancel with nothing else kept', () => {
    for (const type of ['ping', 'handoff', 'cancel']) expect(chat({ type, id: 'x', extra: 1 })).toEqual({ ok: true, frame: { type } });
  });

  it('takes a hello with a valid sessionId, resumeToken and region, each optional; an empty resumeToken is dropped', () => {
    expect(chat({ type: 'hello' })).toEqual({ ok: true, frame: { type: 'hello' } });
    expect(chat({ type: 'hello', sessionId: 'web:3f2a-1', resumeToken: 'abc', region: '大连', x: 1 })).toEqual({
      ok: true,
      frame: { type: 'hello', sessionId: 'web:3f2a-1', resumeToken: 'abc', region: '大连' },
    });
    expect(chat({ type: 'hello', resumeToken: '' })).toEqual({ ok: true, frame: { type: 'hello' } });
    expect(chat({ type: 'hello', sessionId: 's'.repeat(128), resumeToken: 't'.repeat(64), region: 'r'.repeat(40) }).ok).toBe(true);
  });

  it('refuses a hello’s bad field with its own message, sessionId first, then resumeToken, then region', () => {
    const session = badMessage('sessionId must be 1–128 letters, digits or _.:-');
    const token = badMessage('resumeToken must be the string the server gave in ready');
    const region = badMessage('region must be a non-empty string of at most 40 characters');
    for (const sessionId of ['a b', '', 's'.repeat(129), null, 5, '会话']) expect(chat({ type: 'hello', sessionId })).toEqual(session);
    for (const resumeToken of ['t'.repeat(65), null, 7, {}]) expect(chat({ type: 'hello', resumeToken })).toEqual(token);
    for (const r of ['', 'r'.repeat(41), null, 1]) expect(chat({ type: 'hello', region: r })).toEqual(region);
    expect(chat({ type: 'hello', sessionId: 'a b', resumeToken: 5, region: '' })).toEqual(session);
    expect(chat({ type: 'hello', resumeToken: 5, region: '' })).toEqual(token);
    expect(chat({ type: 'hello', id: 'h1', region: '' })).toEqual(region);
  });

  it('takes a message with an id of 1–64 characters and a non-blank text of at most maxText', () => {
    expect(chat({ type: 'message', id: 'm1', text: '大连异地就医备案怎么办理？', region: 'x' })).toEqual({
      ok: true,
      frame: { type: 'message', id: 'm1', text: '大连异地就医备案怎么办理？' },
    });
    expect(chat({ type: 'message', id: 'i'.repeat(64), text: '字'.repeat(500) }).ok).toBe(true);
    expect(chat({ type: 'message', id: 'm', text: ' 透析 ' })).toEqual({ ok: true, frame: { type: 'message', id: 'm', text: ' 透析 ' } });
  });

  it('refuses a message without a valid id without replyTo, and a bad text with the id as replyTo', () => {
    const noId = badMessage('message needs an id: a string of 1–64 characters');
    for (const id of [undefined, '', 'i'.repeat(65), 5, null]) expect(chat({ type: 'message', id, text: '你好' })).toEqual(noId);
    expect(chat({ type: 'message', id: 5, text: '   ' })).toEqual(noId);
    const badText = badMessage('text must be a non-blank string of at most 500 characters', 'm7');
    for (const text of [undefined, '', '   ', '\u3000\n\t', '字'.repeat(501), 12, null, ['你好']]) {
      expect(chat({ type: 'message', id: 'm7', text })).toEqual(badText);
    }
  });

  it('counts text length in UTF-16 units, as the limit always has, and reads the limit from maxText', () => {
    expect(chat({ type: 'message', id: 'e', text: '😀'.repeat(250) }).ok).toBe(true);
    expect(chat({ type: 'message', id: 'e', text: '😀'.repeat(251) })).toEqual(
      badMessage('text must be a non-blank string of at most 500 characters', 'e'),
    );
    expect(chat({ type: 'message', id: 'm', text: '一二三四五六七八九十' }, 10).ok).toBe(true);
    expect(chat({ type: 'message', id: 'm', text: '一二三四五六七八九十一' }, 10)).toEqual(
      badMessage('text must be a non-blank string of at most 10 characters', 'm'),
    );
  });

  it('takes a ticket with phone and question, keeping a valid id and dropping an invalid one', () => {
    const ticket = { type: 'ticket', phone: '13912345678', question: '异地就医备案后报销比例是多少？' };
    expect(chat(ticket)).toEqual({ ok: true, frame: ticket });
    expect(chat({ ...ticket, id: 't1' })).toEqual({ ok: true, frame: { ...ticket, id: 't1' } });
    for (const id of ['', 'i'.repeat(65), 5, null]) expect(chat({ ...ticket, id })).toEqual({ ok: true, frame: ticket });
    expect(chat({ ...ticket, phone: 'p'.repeat(40) }).ok).toBe(true);
  });

  it('refuses a ticket’s bad phone before its bad question, each with the id as replyTo when it is valid', () => {
    const phone = 'ticket needs a phone: a string of at most 40 characters';
    const question = 'ticket needs a question: a non-blank string of at most 500 characters';
    for (const p of [undefined, '', 'p'.repeat(41), 13912345678]) {
      expect(chat({ type: 'ticket', phone: p, question: '？' })).toEqual(badMessage(phone));
      expect(chat({ type: 'ticket', id: 't2', phone: p, question: '？' })).toEqual(badMessage(phone, 't2'));
    }
    for (const q of [undefined, ' ', '问'.repeat(501), 3]) {
      expect(chat({ type: 'ticket', id: 't3', phone: '0411-83709222', question: q })).toEqual(badMessage(question, 't3'));
    }
    expect(chat({ type: 'ticket', id: 5, phone: '0411-83709222', question: '' })).toEqual(badMessage(question));
    expect(chat({ type: 'ticket', id: 't4', question: '' })).toEqual(badMessage(phone, 't4'));
    expect(chat({ type: 'ticket', phone: '1', question: '问'.repeat(11) }, 10)).toEqual(
      badMessage('ticket needs a question: a non-blank string of at most 10 characters'),
    );
  });
});

describe('console client frames (/ws/agent)', () => {
  it('refuses what is not a JSON object as a bad frame, with one message', () => {
    for (const raw of ['{not json', '', '[1]', 'null', '"x"', '[{"id":"a"}]']) {
      expect(console_(raw)).toEqual({ ok: false, code: 'HL_ERR_WS_BAD_FRAME', message: 'The frame must be a JSON object with a type' });
    }
  });

  it('names an unknown type, echoing a valid id', () => {
    expect(console_({ type: 'shout', id: 'a1' })).toEqual({
      ok: false,
      code: 'HL_ERR_WS_UNKNOWN_TYPE',
      message: 'Unknown frame type "shout"',
      replyTo: 'a1',
    });
    expect(console_({})).toEqual({ ok: false, code: 'HL_ERR_WS_UNKNOWN_TYPE', message: 'Unknown frame type null' });
    expect(console_({ type: 'hello', id: 9 })).toEqual({
      ok: false,
      code: 'HL_ERR_WS_UNKNOWN_TYPE',
      message: 'Unknown frame type "hello"',
    });
  });

  it('takes ping and presence, keeping a valid id on any frame and dropping an invalid one', () => {
    expect(console_({ type: 'ping', x: 1 })).toEqual({ ok: true, frame: { type: 'ping' } });
    expect(console_({ type: 'ping', id: 'p1' })).toEqual({ ok: true, frame: { type: 'ping', id: 'p1' } });
    for (const id of ['', 'i'.repeat(65), 1, null]) expect(console_({ type: 'ping', id })).toEqual({ ok: true, frame: { type: 'ping' } });
    expect(console_({ type: 'presence', status: 'away', id: 'x' })).toEqual({
      ok: true,
      frame: { type: 'presence', status: 'away', id: 'x' },
    });
    expect(console_({ type: 'presence', status: 'online' })).toEqual({ ok: true, frame: { type: 'presence', status: 'online' } });
    for (const status of [undefined, 'busy', 1]) {
      expect(console_({ type: 'presence', status, id: 'q' })).toEqual(badMessage('status must be online or away', 'q'));
    }
  });

  it('takes accept, transcript, return and release with a sessionId, and refuses them without one', () => {
    for (const type of ['accept', 'transcript', 'return', 'release']) {
      expect(console_({ type, sessionId: 'web-3f2a', extra: 1 })).toEqual({ ok: true, frame: { type, sessionId: 'web-3f2a' } });
      for (const sessionId of [undefined, '', 'a b', 's'.repeat(129), 5]) {
        expect(console_({ type, sessionId })).toEqual(badMessage(`${type} needs a sessionId`));
        expect(console_({ type, sessionId, id: 'r' })).toEqual(badMessage(`${type} needs a sessionId`, 'r'));
      }
    }
  });

  it('takes a message with a non-blank text of at most maxText, the sessionId checked first', () => {
    expect(console_({ type: 'message', sessionId: 's1', text: '您好，已为您查询。', id: 'm' })).toEqual({
      ok: true,
      frame: { type: 'message', sessionId: 's1', text: '您好，已为您查询。', id: 'm' },
    });
    for (const text of [undefined, '  ', '字'.repeat(501), 1]) {
      expect(console_({ type: 'message', sessionId: 's1', text })).toEqual(
        badMessage('text must be a non-blank string of at most 500 characters'),
      );
    }
    expect(console_({ type: 'message', sessionId: 's1', text: '字'.repeat(21) }, 20)).toEqual(
      badMessage('text must be a non-blank string of at most 20 characters'),
    );
    expect(console_({ type: 'message', text: '  ' })).toEqual(badMessage('message needs a sessionId'));
  });

  it('takes a close with a resolution of 1–200 characters, and refuses one without', () => {
    expect(console_({ type: 'close', sessionId: 's1', resolution: '已解答' })).toEqual({
      ok: true,
      frame: { type: 'close', sessionId: 's1', resolution: '已解答' },
    });
    expect(console_({ type: 'close', sessionId: 's1', resolution: '答'.repeat(200) }).ok).toBe(true);
    for (const resolution of [undefined, ' ', '答'.repeat(201), 2]) {
      expect(console_({ type: 'close', sessionId: 's1', resolution, id: 'c' })).toEqual(
        badMessage('close needs a resolution of 1–200 characters', 'c'),
      );
    }
    expect(console_({ type: 'close', resolution: '' })).toEqual(badMessage('close needs a sessionId'));
  });
});
