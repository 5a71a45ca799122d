const CANDIDATES = 'button, input, textarea, select, a[href], summary, [tabindex]';

/** What Tab can reach inside a container, in order: enabled, rendered, not hidden or inert. */
export function focusables(container: HTMLElement): HTMLElement[] {
  return [...container.querySelectorAll<HTMLElement>(CANDIDATES)].filter(
    (e) => !(e as HTMLButtonElement).disabled && e.tabIndex >= 0 && e.getClientRects().length > 0 && !e.closest('[hidden], [inert]'),
  );
}

/** Tab and Shift+Tab go round inside the open dialog instead of leaving it. */
export function trapFocus(panel: HTMLElement, root: ShadowRoot): void {
  panel.addEventListener('keydown', (e) => {
    if (e.key !== 'Tab') return;
    const items = focusables(panel);
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) return;
    const active = root.activeElement as HTMLElement | null;
    const inside = active !== null && items.includes(active);
    if (e.shiftKey && (active === first || !inside)) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (active === last || !inside)) {
      e.preventDefault();
      first.focus();
    }
  });
}
