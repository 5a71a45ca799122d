import { Api, ApiError } from '../../console/api.js';
import { errorText as describe } from './labels.js';

/** A failed call to `/api/ops/*` is the console's ApiError: the server's HL_ERR_* code (or NETWORK / HTTP_<status>) and its message. */
/** The operators' routes (`/api/ops/*`), called as the console calls its own. */
export { Api as OpsApi, ApiError };

/** What to show for any failure: the Chinese sentence, the server's message when it says more, and the code. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) return describe(error.code, error.message);
  return describe('INTERNAL', error instanceof Error ? error.message : String(error));
}
