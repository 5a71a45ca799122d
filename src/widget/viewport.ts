/**
 * Keeps the widget on the screen whatever the host page does. The host element is put in the top layer (a
 * manual popover) where no transform, filter, overflow or z-index of the page reaches it, and is sized and
 * placed on the visual viewport — the part of the page the user sees — so a page wider than the phone (which
 * widens the layout viewport that `position: fixed` follows), a pinch-zoom or an on-screen keyboard does not
 * push the launcher or the panel off screen. Its inline styles are `!important`, so the page's rules lose.
 */
export function pinToViewport(host: HTMLElement, resized: () => void): void {
  const fixed: Record<string, string> = {
    display: 'block',
    position: 'fixed',
    margin: '0',
    padding: '0',
    border: '0',
    inset: 'auto',
    'max-width': 'none',
    'max-height': 'none',
    'min-width': '0',
    'min-height': '0',
    overflow: 'visible',
    background: 'transparent',
    'pointer-events': 'none',
    'z-index': '2147483000',
    transform: 'none',
    translate: 'none',
    rotate: 'none',
    scale: 'none',
    zoom: '1',
    filter: 'none',
    opacity: '1',
    visibility: 'visible',
    'clip-path': 'none',
    mask: 'none',
    contain: 'none',
  };
  const apply = (box: Record<string, string>) => {
    host.style.cssText = Object.entries({ ...fixed, ...box })
      .map(([k, v]) => `${k}:${v} !important`)
      .join(';');
  };
  // Before the first measure, or without the Visual Viewport API: the whole dynamic viewport.
  apply({ left: '0', top: '0', width: '100vw', height: '100dvh' });
  if (typeof host.showPopover === 'function') {
    host.setAttribute('popover', 'manual');
    try {
      host.showPopover();
    } catch {
      // not connected yet, or refused: position: fixed alone still holds
    }
  }
  const vv = window.visualViewport;
  if (!vv) return;
  let last = '';
  let height = vv.height;
  const place = () => {
    const box = { left: `${vv.offsetLeft}px`, top: `${vv.offsetTop}px`, width: `${vv.width}px`, height: `${vv.height}px` };
    const key = Object.values(box).join();
    if (key === last) return;
    last = key;
    apply(box);
    // A keyboard opening (or a URL bar showing) changes the height: keep the newest message in view.
    if (vv.height !== height) {
      height = vv.height;
      resized();
    }
  };
  place();
  vv.addEventListener('resize', place);
  vv.addEventListener('scroll', place);
  window.addEventListener('resize', place);
}
