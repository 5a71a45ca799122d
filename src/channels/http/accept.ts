/**
 * Content negotiation on `Accept` (RFC 9110, 12.5.1). Each offered media type gets the q-value of the most
 * specific range that matches it (`text/html` over `text/*` over `*\/*`); the highest q wins, then the type
 * the client named itself rather than through a wildcard, then the one it listed first. What is still tied
 * (`*\/*` alone), or nothing acceptable, or no header, goes to the first offered: the server's preference.
 */
interface Range {
  type: string;
  subtype: string;
  q: number;
  index: number;
}

function ranges(accept: string): Range[] {
  return accept.split(',').flatMap((part, index) => {
    const [range = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const [type, subtype] = range.split('/');
    if (!type || !subtype) return [];
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    return Number.isFinite(q) ? [{ type, subtype, q: Math.min(Math.max(q, 0), 1), index }] : [];
  });
}

/** The offered media type the client prefers (see above). */
export function preferred<T extends string>(accept: string | undefined, offered: readonly [T, ...T[]]): T {
  const [first] = offered;
  if (!accept) return first;
  const list = ranges(accept);
  let best = { type: first, q: 0, specific: -1, index: Number.POSITIVE_INFINITY };
  for (const media of offered) {
    const [type, subtype] = media.toLowerCase().split('/');
    let match: { q: number; specific: number; index: number } | null = null;
    for (const r of list) {
      const specific = r.type === type && r.subtype === subtype ? 2 : r.type === type && r.subtype === '*' ? 1 : r.type === '*' ? 0 : -1;
      if (specific >= 0 && (!match || specific > match.specific)) match = { q: r.q, specific, index: r.index };
    }
    if (!match || match.q === 0) continue;
    const better =
      match.q > best.q ||
      (match.q === best.q && (match.specific > best.specific || (match.specific === best.specific && match.index < best.index)));
    if (better) best = { type: media, ...match };
  }
  return best.type;
}
