import type { KnowledgeBase } from '../kb/knowledge-base.js';
import type { SessionState } from './session.js';
import type { Heard, Location, NamedPlace } from './types.js';

/**
 * Stage 2: where the asker is — the place the question names (not one named as somewhere else), else the
 * channel's city, else the conversation's — and which regions' notices speak for it, most specific first:
 * a district's city, a city's province, the national notices.
 */
export function locate(kb: KnowledgeBase, heard: Heard, state: SessionState, requestRegion: string | undefined): Location {
  const places = kb.regions;
  const context = [state.place, requestRegion ? places.canonical(requestRegion) : null].filter((p): p is string => !!p);
  const own = heard.places.filter((p) => !p.elsewhere);
  const chosen = choose(kb, own, context);
  if (chosen) return at(kb, chosen, 'question');
  if (requestRegion) return at(kb, places.canonical(requestRegion) ?? requestRegion.trim(), 'request');
  if (state.place) return at(kb, state.place, 'session');
  return { place: null, scopes: kb.regionNames(), unserved: false, source: 'none', local: [] };
}

/** The place a question is about: the innermost of nested places (青岛黄岛区 → 黄岛), a reading near the context. */
function choose(kb: KnowledgeBase, named: NamedPlace[], context: string[]): string | null {
  if (named.length === 0) return null;
  const places = kb.regions;
  const readings = named.map((n) => {
    const options = n.candidates.length > 0 ? n.candidates : [n.name];
    const near = options.find((o) => {
      const p = places.place(o);
      return (
        p &&
        context.some((c) => {
          const q = places.place(c);
          return q && (places.contains(q, p) || places.contains(p, q));
        })
      );
    });
    const served = options.find((o) => kb.scopesOf(o).some((s) => s !== '全国'));
    return near ?? served ?? n.name;
  });
  // Of several places, one that has notices of its own (台湾人在北京 → 北京), then the innermost.
  const served = readings.filter((r) => kb.scopesOf(r).some((s) => s !== '全国'));
  const pool = served.length > 0 ? served : readings;
  let best = pool[0] as string;
  for (const r of pool.slice(1)) {
    const p = places.place(r);
    const q = places.place(best);
    if (p && q && places.contains(q, p) && p !== q) best = r;
  }
  return best;
}

function at(kb: KnowledgeBase, name: string, source: Location['source']): Location {
  const scopes = kb.scopesOf(name);
  const place = kb.regions.place(name);
  const region = scopes[0];
  const local: string[] = [];
  if (place && region && region !== name && region !== '全国') {
    // A district in its city's notice: its name picks the row (an office, a phone number).
    const outer = kb.regions.place(region);
    if (outer && kb.regions.contains(outer, place)) local.push(...new Set([place.name, place.fullName]));
  }
  return { place: name, scopes, unserved: scopes.length === 0, source, local };
}
