import type { Input } from './types.ts';

/**
 * The time budget counts this process's CPU time, not wall time: on a busy host a request descheduled for 10 ms
 * has not cost 10 ms of inspection, and must not be reported as over budget. Reading CPU time is a syscall
 * (measured at several µs on a busy VM), so small requests — which cannot spend the budget in the JS loop — skip
 * the checks; libddwaf enforces its own time-out on every call. Large bodies start the clock before extraction
 * (parsing is part of their cost); many-valued requests after it.
 */
const TIMED_BODY_BYTES = 4096;
const TIMED_VALUES = 32;
/** How many values past the budget are still read, and how much of each of their ends. */
const PAST_BUDGET_VALUES = 64;
const PAST_BUDGET_END = 512;

/** What of the next value to read: all of it, only its ends (the first past the budget reports it), or none. */
export type Reading = 'whole' | 'budget-spent' | 'ends' | 'stop';

/**
 * A request's inspection clock, and the order and measure in which its values are read against the budget.
 *
 * A timed request is read shortest value first: a value built to cost the most of some regex (32 KiB of the shape
 * it scans) would otherwise spend the budget before the short fields after it, where a payload fits, were read (a
 * review had a 14-field JSON body's SQL injection skipped behind one such field). Once the budget is spent, the
 * values left are still read by their first and last 512 characters — a payload padded to sort last keeps its
 * ends — bounded twice, by count and by time (the budget again, at least 5 ms more), since the values read in part
 * can be as costly as the ones that spent the budget.
 */
export class InspectionClock {
  private t0: NodeJS.CpuUsage | undefined;
  private past = 0;

  constructor(
    private readonly budget: number,
    bodyBytes: number,
  ) {
    this.t0 = bodyBytes > TIMED_BODY_BYTES ? process.cpuUsage() : undefined;
  }

  /** Called once the values are extracted: many of them start the clock too. */
  values(count: number): void {
    if (this.t0 === undefined && count > TIMED_VALUES) this.t0 = process.cpuUsage();
  }

  /** CPU µs spent since the clock started (0 for an untimed request). */
  spent(): number {
    if (this.t0 === undefined) return 0;
    const d = process.cpuUsage(this.t0);
    return d.user + d.system;
  }

  left(): number {
    return this.budget - this.spent();
  }

  /** Indexes of `inputs` in reading order: shortest first (stable) when timed, undefined for the request's order. */
  order(inputs: readonly Input[]): number[] | undefined {
    if (this.t0 === undefined) return undefined;
    return inputs.map((_, i) => i).sort((a, b) => inputs[a]!.value.length - inputs[b]!.value.length || a - b);
  }

  /** What to read of the `i`-th value in reading order; the CPU clock is read every 16 and 8 values. */
  reading(i: number): Reading {
    if (this.past === 0) {
      if (this.t0 === undefined || (i & 15) !== 15 || this.spent() <= this.budget) return 'whole';
      this.past = 1;
      return 'budget-spent';
    }
    if (this.past++ >= PAST_BUDGET_VALUES) return 'stop';
    if ((this.past & 7) === 0 && this.spent() > this.budget + Math.max(this.budget, 5000)) return 'stop';
    return 'ends';
  }

  /** The limit finding's detail when the budget is found spent at value `i` of `total`. */
  spentDetail(i: number, total: number): string {
    const rest = total - i;
    return (
      `inspection passed ${this.budget} µs after ${i} of ${total} values; ` +
      `up to ${Math.min(rest, PAST_BUDGET_VALUES)} more are read by their first and last ${PAST_BUDGET_END} ` +
      `characters while a second budget lasts` +
      (rest > PAST_BUDGET_VALUES ? `, ${rest - PAST_BUDGET_VALUES} not at all` : '')
    );
  }
}

/** A value read past the budget: its first and last PAST_BUDGET_END characters. */
export function byItsEnds(inp: Input): Input {
  if (inp.value.length <= 2 * PAST_BUDGET_END) return inp;
  return { ...inp, value: `${inp.value.slice(0, PAST_BUDGET_END)}\n${inp.value.slice(-PAST_BUDGET_END)}` };
}
