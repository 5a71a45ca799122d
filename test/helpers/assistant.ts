import { buildAssistant } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Assistant } from '../../src/dialogue/assistant.js';

let assistant: Promise<Assistant> | null = null;

/** The assistant on the project's intents data and default policy, once per test file. */
export function projectAssistant(): Promise<Assistant> {
  assistant ??= buildAssistant(loadConfig({}));
  return assistant;
}
