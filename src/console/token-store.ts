/**
 * A sign-in token kept for the tab (sessionStorage), for the agents' console and the operators' desk. With storage
 * off, nothing is kept: the person signs in again after a reload.
 */
export interface TokenStore {
  get(): string | null;
  set(token: string | null): void;
}

export function tokenStore(key: string): TokenStore {
  return {
    get() {
      try {
        return sessionStorage.getItem(key);
      } catch {
        return null;
      }
    },
    set(token) {
      try {
        if (token === null) sessionStorage.removeItem(key);
        else sessionStorage.setItem(key, token);
      } catch {
        // Storage off: signed in until the page is reloaded.
      }
    },
  };
}
