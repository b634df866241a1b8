import { Clock } from './clock';

export interface PollSettings {
  /** First wait between reads, and the wait again after a read that showed progress. */
  readonly pollIntervalMs: number;
  /** Waits grow by half each quiet read, up to this. */
  readonly maxPollIntervalMs: number;
  /** Give up (timedOut) after this long. */
  readonly maxWaitMs: number;
  readonly clock: Clock;
}

export interface PollRead<T> {
  readonly value: T;
  readonly done: boolean;
  /** Something new was seen (events); resets the backoff so the user keeps getting prompt updates. */
  readonly progressed?: boolean;
}

/** Reads until `done` or `maxWaitMs`, backing off while nothing happens. Always reads at least once. */
export async function pollUntil<T>(read: () => Promise<PollRead<T>>, s: PollSettings): Promise<{ value: T; timedOut: boolean; waitedMs: number }> {
  const start = s.clock.now();
  let interval = s.pollIntervalMs;
  for (;;) {
    const r = await read();
    const waitedMs = s.clock.now() - start;
    if (r.done) return { value: r.value, timedOut: false, waitedMs };
    if (waitedMs >= s.maxWaitMs) return { value: r.value, timedOut: true, waitedMs };
    await s.clock.sleep(Math.min(interval, s.maxWaitMs - waitedMs));
    interval = r.progressed ? s.pollIntervalMs : Math.min(Math.round(interval * 1.5), s.maxPollIntervalMs);
  }
}
