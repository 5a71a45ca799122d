import { describe, expect, it } from 'vitest';
import { ungroundedNumbers } from '../../src/dialogue/reply.js';
import { build } from '../helpers/app.js';

async function ask(payload: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const { app } = await build();
  return app.inject({ method: 'POST', url: '/api/ask', headers, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) });
}

describe('POST /api/ask', () => {
  it('answers with the contract’s shape: type, text, citations with quote and link, intent, confidence, sessionId', async () => {
    const res = await ask({ text: '大连透析审核现在怎么弄？' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      type: 'answer',
      intent: expect.any(String),
      confidence: expect.any(Number),
      sessionId: expect.any(String),
    });
    expect(body.text).toContain('自动通过');
    expect(body.citations[0]).toMatchObject({
      notice: 'dalian-2020-02-20',
      clause: 's3.四',
      title: '第七场专题发布会聚焦疫情防控医疗保障工作',
      authority: '大连市医疗保障局',
      docNumber: null,
      date: '2020-02-20',
      url: `/notices/dalian-2020-02-20#${encodeURIComponent('s3.四')}`,
    });
    expect(body.citations[0].quote).toContain('先自动通过');
    expect(ungroundedNumbers(body.text, body.citations)).toEqual([]);
  });

  it('says the notice’s date and that it was a temporary measure', async () => {
    const body = (await ask({ text: '商洛企业缓缴医保最长多久' })).json();
    expect(body.type).toBe('answer');
    expect(body.text).toContain('2022-08-01');
    expect(body.text).toContain('临时性措施');
  });

  it('replies in Traditional to a question in Traditional', async () => {
    const body = (await ask({ text: '大連透析審核怎麼辦理？' })).json();
    expect(body.type).toBe('answer');
    expect(body.text).toContain('自動通過');
  });

  it('uses the request’s region as the default city, and a city named in the question wins', async () => {
    const bound = (await ask({ text: '透析审核怎么办？', region: '大连' })).json();
    expect(bound.citations[0].notice).toBe('dalian-2020-02-20');
    const named = (await ask({ text: '商洛企业缓缴医保最长多久？', region: '大连' })).json();
    expect(named.citations[0].notice).toBe('shangluo-2022-08-01');
  });

  it.each([
    ['a body that is not JSON', '{"text": 慢性病', 'HL_ERR_BAD_REQUEST'],
    ['a missing text', {}, 'HL_ERR_BAD_REQUEST'],
    ['an empty text', { text: '' }, 'HL_ERR_BAD_REQUEST'],
    ['a text of white space', { text: '   ' }, 'HL_ERR_BAD_REQUEST'],
    ['a text over 500 characters', { text: '医'.repeat(501) }, 'HL_ERR_BAD_REQUEST'],
    ['a text that is a number', { text: 12345 }, 'HL_ERR_BAD_REQUEST'],
    ['a text that is an array', { text: ['慢性病'] }, 'HL_ERR_BAD_REQUEST'],
    ['a sessionId that is a number', { text: '你好', sessionId: 7 }, 'HL_ERR_BAD_REQUEST'],
    ['a region that is an object', { text: '你好', region: { name: '包头' } }, 'HL_ERR_BAD_REQUEST'],
    ['a JSON array body', [1, 2], 'HL_ERR_BAD_REQUEST'],
  ])('refuses %s with 400 and a code', async (_what, payload, code) => {
    const res = await ask(payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe(code);
    expect(res.json().error.message).toEqual(expect.any(String));
  });

  it('refuses a body that is not JSON by content type with a code', async () => {
    const res = await ask('text=慢性病', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('HL_ERR_UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers 500 characters, the limit', async () => {
    const res = await ask({ text: `慢性病${'的'.repeat(497)}` });
    expect(res.statusCode).toBe(200);
  });

  it('keeps the conversation under the sessionId it returns', async () => {
    const { app } = await build();
    const post = (payload: object) => app.inject({ method: 'POST', url: '/api/ask', payload });
    const first = (await post({ text: '慢性病处方能开多长时间的药？' })).json();
    expect(first.type).toBe('clarify');
    expect(first.suggestions).toEqual(expect.arrayContaining(['包头', '大连']));
    const second = (await post({ text: '包头', sessionId: first.sessionId })).json();
    expect(second).toMatchObject({ type: 'answer', sessionId: first.sessionId });
    expect(second.citations[0].notice).toBe('baotou-2022-10-08');
  });
});
