import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Assistant } from '../../src/dialogue/assistant.js';
import { ungroundedNumbers } from '../../src/dialogue/reply.js';
import { fold } from '../../src/eval/judge.js';
import type { KnowledgeBase } from '../../src/kb/knowledge-base.js';
import { projectAssistant } from '../helpers/assistant.js';
import { projectKnowledge, ROOT } from '../helpers/knowledge.js';

interface Turn {
  q: string;
  type: string;
  notice?: string;
  says?: string[];
  not?: string[];
  suggestions?: string[];
}
interface Conversation {
  name: string;
  region?: string;
  turns: Turn[];
}

const file = join(ROOT, 'test', 'dialogue', 'conversations.yaml');
const conversations: Conversation[] = parse(await readFile(file, 'utf8')).conversations;

let kb: KnowledgeBase;
let assistant: Assistant;
beforeAll(async () => {
  kb = await projectKnowledge();
  assistant = await projectAssistant();
});

describe('conversations', () => {
  it.each(conversations.map((c, i) => [c.name, i] as const))('%s', (_name, i) => {
    const c = conversations[i] as Conversation;
    const sessionId = `conv-${i}`;
    for (const turn of c.turns) {
      const reply = assistant.ask(kb, { text: turn.q, sessionId, ...(c.region ? { region: c.region } : {}) });
      const where = `${turn.q} → ${reply.type}: ${reply.text}`;
      expect(reply.type, where).toBe(turn.type);
      expect(reply.sessionId).toBe(sessionId);
      if (turn.notice)
        expect(
          reply.citations.map((x) => x.notice),
          where,
        ).toContain(turn.notice);
      for (const s of turn.says ?? []) expect(fold(reply.text), where).toContain(fold(s));
      for (const s of turn.not ?? []) expect(fold(reply.text), where).not.toContain(fold(s));
      if (turn.suggestions) expect(reply.suggestions, where).toEqual(expect.arrayContaining(turn.suggestions));
      if (reply.type === 'answer') {
        expect(reply.citations.length).toBeGreaterThan(0);
        expect(ungroundedNumbers(reply.text, reply.citations), where).toEqual([]);
      }
    }
  });
});
