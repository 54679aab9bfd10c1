import type { Facet } from '../../core/facet.ts';
import type { DistinctSpec } from '../counter-store.ts';
import { behaviourFinding, type Detector, type DetectorDeps } from '../detector.ts';
import { CappedLru } from '../lru.ts';

/**
 * Scraping and BOLA walking (OWASP OAT-011 Scraping; OWASP API Security Top 10 2023 API1 Broken Object Level
 * Authorization): a client touching far more distinct objects than a person reads, walking ids in sequence, or
 * paging deeper than any UI goes. The client is the principal when there is one, else the IP; an IP's allowance
 * is multiplied by the distinct principals seen on it, because a NAT office is many readers behind one address.
 * Walks are judged per client and route template, so interleaved users behind one IP never look sequential.
 */
interface Walk {
  last: number;
  run: number;
}

export function createScraping({ config, store }: DetectorDeps): Detector {
  const s = config.scraping;
  const bucketMs = Math.max(1000, Math.floor(s.windowMs / 20));
  const ids: DistinctSpec = { name: 'scrape.ids', windowMs: s.windowMs, bucketMs, maxMembers: 4 * s.maxDistinctIds };
  const principals: DistinctSpec = { name: 'scrape.principals', windowMs: s.windowMs, bucketMs, maxMembers: 256 };
  const walks = new CappedLru<string, Walk>(config.windows.maxActors);

  return {
    id: 'behaviour.scraping',
    family: 'scraping',
    profile(view, out) {
      if (view.principal) store.addDistinct(principals, view.ip, view.principal, view.now);
      const client: Facet = view.principal ?? view.ip;
      const facets: Facet[] = view.principal ? [view.principal, view.ip] : [view.ip];
      if (view.pageDepth > s.maxPageDepth) {
        out.push(
          behaviourFinding(
            'behaviour.deep-paging',
            'scraping',
            'medium',
            `${client} asked for page ${view.pageDepth} of ${view.route}; the limit is ${s.maxPageDepth}`,
            facets,
            'query',
          ),
        );
      }
      if (view.objectId === undefined) return;
      store.addDistinct(ids, client, `${view.route}#${view.objectId}`, view.now);
      const distinct = store.distinct(ids, client, view.now);
      const readers = view.principal ? 1 : Math.max(1, store.distinct(principals, view.ip, view.now));
      if (distinct > s.maxDistinctIds * readers) {
        out.push(
          behaviourFinding(
            'behaviour.object-harvest',
            'scraping',
            'medium',
            `${client} read ${distinct} distinct objects in ${Math.round(s.windowMs / 60_000)} min`,
            facets,
          ),
        );
      }
      if (view.numericId === undefined) return;
      const key = `${client} ${view.route}`;
      const walk = walks.use(key);
      if (walk === undefined) {
        walks.set(key, { last: view.numericId, run: 0 });
        return;
      }
      const step = Math.abs(view.numericId - walk.last);
      walk.run = step > 0 && step <= s.walkStep ? walk.run + 1 : 0;
      walk.last = view.numericId;
      if (walk.run >= s.walkLength) {
        out.push(
          behaviourFinding(
            'behaviour.id-walk',
            'scraping',
            'high',
            `${client} walked ${walk.run + 1} consecutive object ids on ${view.route}`,
            facets,
            'path',
          ),
        );
      }
    },
  };
}
