import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Resume tokens for chat sessions: a client that reconnects must show the token it was given with its
 * sessionId, so knowing (or guessing) another session's id is not enough to take over its conversation.
 */
export class SessionTokens {
  constructor(private readonly secret: string) {}

  sign(sessionId: string): string {
    return createHmac('sha256', this.secret).update(sessionId).digest('base64url').slice(0, 32);
  }

  verify(sessionId: string, token: string | undefined): boolean {
    if (!token) return false;
    const expected = Buffer.from(this.sign(sessionId));
    const given = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
