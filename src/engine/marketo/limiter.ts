// Marketo's limits on one instance's API calls, kept by the client itself so it never earns a 606
// or 615 of its own making: at most 10 calls under way at once, at most 100 started in any 20 s.
import { MARKETO_API_MAX_CONCURRENT, MARKETO_API_MAX_PER_WINDOW, MARKETO_API_WINDOW_MS } from '../limits';
import { MarketoCancelledError } from './errors';

/** Time, injectable so tests need not wait 20 s. */
export interface Clock {
  now(): number;
  /** resolves after `ms`; rejects with MarketoCancelledError when `signal` aborts first */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(new MarketoCancelledError());
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new MarketoCancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  }),
};

export interface LimiterOptions {
  maxConcurrent?: number;
  maxPerWindow?: number;
  windowMs?: number;
  clock?: Clock;
}

export class CallLimiter {
  private readonly maxConcurrent: number;
  private readonly maxPerWindow: number;
  private readonly windowMs: number;
  private readonly clock: Clock;
  private active = 0;
  /** start times of the calls of the current window, oldest first */
  private readonly starts: number[] = [];
  /** callers waiting for a call under way to end */
  private readonly waiting = new Set<() => void>();

  constructor(options: LimiterOptions = {}) {
    this.maxConcurrent = options.maxConcurrent ?? MARKETO_API_MAX_CONCURRENT;
    this.maxPerWindow = options.maxPerWindow ?? MARKETO_API_MAX_PER_WINDOW;
    this.windowMs = options.windowMs ?? MARKETO_API_WINDOW_MS;
    this.clock = options.clock ?? SYSTEM_CLOCK;
  }

  /** calls under way now */
  get running(): number {
    return this.active;
  }

  /** Runs `task` once both limits allow another call. */
  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await task();
    } finally {
      this.active--;
      // Every waiter looks again; those that still cannot start wait again.
      const wake = [...this.waiting];
      this.waiting.clear();
      for (const w of wake) w();
    }
  }

  private async acquire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (signal?.aborted) throw new MarketoCancelledError();
      const now = this.clock.now();
      while (this.starts.length > 0 && (this.starts[0] as number) <= now - this.windowMs) this.starts.shift();
      if (this.active < this.maxConcurrent && this.starts.length < this.maxPerWindow) {
        this.active++;
        this.starts.push(now);
        return;
      }
      if (this.active >= this.maxConcurrent) await this.untilOneEnds(signal);
      else await this.clock.sleep((this.starts[0] as number) + this.windowMs - now, signal);
    }
  }

  private untilOneEnds(signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        this.waiting.delete(wake);
        reject(new MarketoCancelledError());
      };
      const wake = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      this.waiting.add(wake);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
