/**
 * The tab's sessionStorage, or nothing where the page may not use it (an opaque origin, storage blocked):
 * the widget then works but does not resume after a reload.
 */
export const tabStore = {
  get(key: string): string | null {
    try {
      return sessionStorage.getItem(key);
    } catch {
      return null;
    }
  },
  set(key: string, value: string): void {
    try {
      sessionStorage.setItem(key, value);
    } catch {
      // storage refused: nothing to keep
    }
  },
};

export const KEYS = { session: 'hl-widget-session', token: 'hl-widget-resume', open: 'hl-widget-open' } as const;
