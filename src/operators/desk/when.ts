import { dateTime, time } from '../../console/dom.js';

/** A server time (epoch ms or an ISO string) as a <time> showing month, day, hour and minute. */
export function when(at: number | string): HTMLTimeElement {
  const ms = typeof at === 'number' ? at : Date.parse(at);
  return time(ms, Number.isFinite(ms) ? dateTime(ms) : String(at));
}

/** `12.3 KB`. */
export function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`;
}
