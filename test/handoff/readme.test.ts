import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONVERSATION_MACHINE, renderDiagram, TICKET_MACHINE } from '../../src/handoff/machine.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('the README’s state diagrams', () => {
  it('are the transition tables as the code has them', () => {
    expect(readme).toContain(`\`\`\`\n${renderDiagram(CONVERSATION_MACHINE)}\n\`\`\``);
    expect(readme).toContain(`\`\`\`\n${renderDiagram(TICKET_MACHINE)}\n\`\`\``);
  });
});
