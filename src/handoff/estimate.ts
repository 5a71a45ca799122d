/**
 * Wait estimates. A chat's handle time runs from assignment to its end (`returned` or `resolved`;
 * released or disconnected chats do not count). The average is over the last `window` handle times,
 * or `fallbackMs` before any chat has ended. Then
 *
 *     estimatedWaitMs = round(averageHandleMs × position / max(1, agents online))
 *
 * with `position` 1-based and "online" meaning registered with presence `online` (away agents take no
 * new chats). Agents' capacity is not in the formula: a second chat slows an agent down.
 */
export class HandleTimes {
  private readonly recent: number[] = [];

  constructor(
    private readonly window: number,
    private readonly fallbackMs: number,
  ) {}

  add(ms: number): void {
    this.recent.push(Math.max(0, ms));
    if (this.recent.length > this.window) this.recent.shift();
  }

  /** The handle times kept, oldest first (the desk's shared state). */
  saved(): number[] {
    return [...this.recent];
  }

  restore(recent: readonly number[]): void {
    this.recent.splice(0, this.recent.length, ...recent.slice(-this.window));
  }

  averageMs(): number {
    if (this.recent.length === 0) return this.fallbackMs;
    return this.recent.reduce((a, b) => a + b, 0) / this.recent.length;
  }
}

export function estimateWaitMs(averageHandleMs: number, position: number, agentsOnline: number): number {
  return Math.round((averageHandleMs * position) / Math.max(1, agentsOnline));
}
