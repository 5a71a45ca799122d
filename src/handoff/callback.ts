import { HlError } from '../errors.js';
import { normalizePhone } from './phone.js';

export const QUESTION_MAX = 500;
export const RESOLUTION_MAX = 200;

export interface CallbackInput {
  phone: string;
  question: string;
  region?: string | null;
}

/** Characters as a person counts them (code points, so 𠮷 is one). */
function length(text: string): number {
  return [...text].length;
}

/**
 * A callback request checked: the phone normalised (HL_ERR_BAD_PHONE when it is not a mainland mobile or
 * a landline with area code), the question trimmed and 1–500 characters (HL_ERR_BAD_TICKET).
 */
export function checkCallback(input: CallbackInput): { phone: string; question: string } {
  const phone = typeof input.phone === 'string' ? normalizePhone(input.phone) : null;
  if (phone === null) throw new HlError('HL_ERR_BAD_PHONE');
  const question = typeof input.question === 'string' ? input.question.trim() : '';
  if (length(question) < 1 || length(question) > QUESTION_MAX) {
    throw new HlError('HL_ERR_BAD_TICKET', [`the question must be 1–${QUESTION_MAX} characters`]);
  }
  return { phone, question };
}

/**
 * A ticket's resolution or a chat's resolution tag, trimmed, 1–200 characters; else HL_ERR_BAD_TICKET
 * (ticket) or HL_ERR_BAD_REQUEST (chat).
 */
export function checkResolution(resolution: string, of: 'ticket' | 'chat'): string {
  const text = typeof resolution === 'string' ? resolution.trim() : '';
  if (length(text) < 1 || length(text) > RESOLUTION_MAX) {
    const code = of === 'ticket' ? 'HL_ERR_BAD_TICKET' : 'HL_ERR_BAD_REQUEST';
    throw new HlError(code, [`the resolution must be 1–${RESOLUTION_MAX} characters`]);
  }
  return text;
}
