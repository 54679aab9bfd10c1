import type { Counter, Histogram, Registry } from 'prom-client';

/**
 * Metrics updated on every request, without prom-client's per-call label validation and hashing (which a bound
 * child does too). Both register with a prom-client Registry as ordinary metrics: same exposition text.
 */

/**
 * A Prometheus histogram, unlabelled or with one label whose values are known up front (the pipeline's stages),
 * kept in typed arrays. prom-client's own Histogram validates and hashes the label set on every observation, even through
 * a bound child; with ten stages per request that was 1.5 % of the gateway's CPU under load
 * (bench/profile.ts). Here an observation is a bucket search over a dozen bounds and three array writes.
 * The registry sees an ordinary histogram: same exposition, same `_bucket`/`_sum`/`_count` series.
 */
export class FastHistogram<L extends string = never> {
  readonly #bounds: Float64Array;
  /** Per label value: one count per bound plus +Inf, not cumulative (made cumulative at scrape). */
  readonly #counts: Float64Array;
  readonly #sums: Float64Array;
  readonly #index: Record<L, number>;
  readonly #values: readonly L[];

  constructor(
    readonly options: {
      readonly name: string;
      readonly help: string;
      /** The one label and its values; absent, the histogram has a single, unlabelled series. */
      readonly label?: { readonly name: string; readonly values: readonly L[] };
      readonly buckets: readonly number[];
      readonly registry: Registry;
    },
  ) {
    const buckets = [...options.buckets].sort((a, b) => a - b);
    this.#bounds = Float64Array.from(buckets);
    this.#values = options.label?.values ?? [];
    const series = Math.max(1, this.#values.length);
    this.#counts = new Float64Array(series * (buckets.length + 1));
    this.#sums = new Float64Array(series);
    this.#index = Object.fromEntries(this.#values.map((v, i) => [v, i])) as Record<L, number>;
    // prom-client's registry accepts any object with its metric shape; the cast is only for its type union.
    options.registry.registerMetric(this.#asMetric() as unknown as Histogram);
  }

  /** `label` is required exactly when the histogram has one. */
  observe(value: number, label?: L): void {
    const i = label === undefined ? 0 : this.#index[label];
    const bounds = this.#bounds;
    let b = 0;
    while (b < bounds.length && value > bounds[b]!) b++;
    this.#counts[i * (bounds.length + 1) + b]! += 1;
    this.#sums[i]! += value;
  }

  #asMetric() {
    const { name, help } = this.options;
    return {
      name,
      help,
      type: 'histogram',
      aggregator: 'sum',
      reset: () => {
        this.#counts.fill(0);
        this.#sums.fill(0);
      },
      get: async () => ({ name, help, type: 'histogram', aggregator: 'sum', values: this.#snapshot() }),
    };
  }

  #snapshot() {
    const { name, label } = this.options;
    const width = this.#bounds.length + 1;
    const values: { metricName: string; labels: Record<string, string | number>; value: number }[] = [];
    const series: ReadonlyArray<Record<string, string>> =
      label === undefined ? [{}] : label.values.map((v) => ({ [label.name]: v }));
    series.forEach((labels, i) => {
      let cumulative = 0;
      for (let b = 0; b < width; b++) {
        cumulative += this.#counts[i * width + b]!;
        const le = b < this.#bounds.length ? this.#bounds[b]! : '+Inf';
        values.push({ metricName: `${name}_bucket`, labels: { le, ...labels }, value: cumulative });
      }
      values.push({ metricName: `${name}_sum`, labels, value: this.#sums[i]! });
      values.push({ metricName: `${name}_count`, labels, value: cumulative });
    });
    return values;
  }
}

/**
 * A Prometheus counter with two labels whose values appear as requests go (action × status, category ×
 * severity). Each label pair gets one record on first use; an increment is a two-level map lookup and an add.
 */
export class FastCounter {
  readonly #children = new Map<string, Map<string, { value: number }>>();

  constructor(
    readonly options: {
      readonly name: string;
      readonly help: string;
      readonly labelNames: readonly [string, string];
      readonly registry: Registry;
    },
  ) {
    const { name, help, labelNames } = options;
    const metric = {
      name,
      help,
      type: 'counter',
      aggregator: 'sum',
      reset: () => this.#children.clear(),
      get: async () => ({
        name,
        help,
        type: 'counter',
        aggregator: 'sum',
        values: [...this.#children].flatMap(([a, inner]) =>
          [...inner].map(([b, c]) => ({ labels: { [labelNames[0]]: a, [labelNames[1]]: b }, value: c.value })),
        ),
      }),
    };
    // As for FastHistogram: the registry takes any object of this shape; the cast is for its type union only.
    options.registry.registerMetric(metric as unknown as Counter);
  }

  inc(a: string, b: string | number): void {
    let inner = this.#children.get(a);
    if (inner === undefined) {
      inner = new Map();
      this.#children.set(a, inner);
    }
    const key = typeof b === 'number' ? String(b) : b;
    const child = inner.get(key);
    if (child === undefined) inner.set(key, { value: 1 });
    else child.value++;
  }
}
