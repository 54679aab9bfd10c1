import { behaviourFinding, type Detector, type DetectorDeps } from '../detector.ts';
import { CappedLru } from '../lru.ts';

/**
 * Machine timing: inter-arrival gaps too regular to be human (coefficient of variation of the gaps near zero) or
 * no think time between a client's requests. Means and variances are exponentially weighted (West, "Updating
 * mean and variance estimates", CACM 1979) so each client costs four numbers. These findings are `low` on purpose:
 * a steady partner integration is regular by design, so timing alone may only ever reach `watch`; it adds weight
 * to other evidence, never decides.
 */
interface Gaps {
  last: number;
  n: number;
  mean: number;
  variance: number;
  quick: number;
}

const ALPHA = 0.1;

export function createTiming({ config }: DetectorDeps): Detector {
  const t = config.timing;
  const clients = new CappedLru<string, Gaps>(config.windows.maxActors);

  return {
    id: 'behaviour.timing',
    family: 'timing',
    profile(view, out) {
      const key = view.stack ? `${view.ip} ${view.stack}` : view.ip;
      const g = clients.use(key);
      if (g === undefined) {
        clients.set(key, { last: view.now, n: 0, mean: 0, variance: 0, quick: 0 });
        return;
      }
      const gap = view.now - g.last;
      g.last = view.now;
      if (g.n === 0) {
        g.mean = gap;
      } else {
        const diff = gap - g.mean;
        g.mean += ALPHA * diff;
        g.variance = (1 - ALPHA) * (g.variance + ALPHA * diff * diff);
      }
      g.quick = (1 - ALPHA) * g.quick + ALPHA * (gap < t.minThinkMs ? 1 : 0);
      g.n++;
      if (g.n < t.minSamples) return;
      const cv = g.mean > 0 ? Math.sqrt(g.variance) / g.mean : 0;
      if (g.mean >= t.minThinkMs && cv < t.maxCoefficientOfVariation) {
        out.push(
          behaviourFinding(
            'behaviour.timing-regular',
            'timing',
            'low',
            `${view.ip} sends every ${Math.round(g.mean)} ms with ${Math.round(cv * 100)} % variation`,
            [view.ip],
          ),
        );
      } else if (g.quick >= t.minNoThinkRatio) {
        out.push(
          behaviourFinding(
            'behaviour.no-think-time',
            'timing',
            'low',
            `${view.ip} leaves under ${t.minThinkMs} ms between ${Math.round(g.quick * 100)} % of its requests`,
            [view.ip],
          ),
        );
      }
    },
  };
}
