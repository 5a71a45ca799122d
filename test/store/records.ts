import type { Conversation } from '../../src/store/types.js';

/** A conversation with the bot, as the store tests write it; `patch` changes what a test is about. */
export function conversation(sessionId: string, patch: Partial<Conversation> = {}): Conversation {
  return {
    sessionId,
    channel: 'web',
    region: null,
    state: 'bot',
    agentId: null,
    queuedAt: null,
    createdAt: 1000,
    updatedAt: 1000,
    lastUserText: null,
    ...patch,
  };
}
