import { describe, expect, it } from 'vitest';
import { detectScript } from '../../src/ingest/script.js';
import { projectAssistant } from '../helpers/assistant.js';
import { projectKnowledge } from '../helpers/knowledge.js';

/** 包头's notice is published in Traditional characters; the others in Simplified. */
describe('sources in the asker’s script (issue 13, rough edge 5)', () => {
  it('gives a Simplified asker a Traditional notice’s title and authority in Simplified, the quote as published and its Simplified reading', async () => {
    const [assistant, kb] = await Promise.all([projectAssistant(), projectKnowledge()]);
    const reply = assistant.ask(kb, { text: '包头高血压能开几个月的药？' });
    expect(reply.script).toBe('simplified');
    const c = reply.citations[0];
    expect(c?.notice).toMatch(/^baotou-/);
    const published = kb.notice(c?.notice ?? '');
    expect(published?.script).toBe('traditional');
    expect(detectScript(c?.title ?? '')).not.toBe('traditional');
    expect(c?.title).not.toBe(published?.meta.title);
    expect(detectScript(c?.quote ?? '')).toBe('traditional');
    expect(detectScript(c?.readerQuote ?? '')).not.toBe('traditional');
    expect(c?.readerQuote).not.toBe(c?.quote);
  });

  it('gives a Traditional asker Traditional titles, and marks the reply so the labels follow', async () => {
    const [assistant, kb] = await Promise.all([projectAssistant(), projectKnowledge()]);
    const reply = assistant.ask(kb, { text: '大連異地就醫備案怎麼辦理？' });
    expect(reply.script).toBe('traditional');
    const c = reply.citations[0];
    expect(c?.notice).toMatch(/^dalian-/);
    expect(detectScript(c?.title ?? '')).toBe('traditional');
    expect(c?.readerQuote).toBeDefined();
    expect(detectScript(c?.quote ?? '')).not.toBe('traditional');
  });
});
