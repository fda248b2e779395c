// Time for a VM. "manual" (the default for tests): timers only fire when the test calls vm.tick(ms), so tick
// timers and http_call timeouts are deterministic. "real" (the gateway): timers are setTimeout.

export interface TimerHandle {
  cancel(): void;
}

export interface Scheduler {
  readonly mode: "manual" | "real";
  /** Milliseconds of elapsed scheduler time (virtual in manual mode). */
  nowMs(): number;
  setTimer(ms: number, fn: () => void): TimerHandle;
  /** Number of armed timers (used to tell a stalled exchange from one waiting on time). */
  pending(): number;
}

export class RealScheduler implements Scheduler {
  readonly mode = "real" as const;
  private timers = new Set<NodeJS.Timeout>();
  private start = Date.now();
  nowMs(): number {
    return Date.now() - this.start;
  }
  setTimer(ms: number, fn: () => void): TimerHandle {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
    return { cancel: () => (clearTimeout(t), this.timers.delete(t)) };
  }
  pending(): number {
    return this.timers.size;
  }
  cancelAll(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}

interface VTimer {
  due: number;
  seq: number;
  fn: () => void;
  live: boolean;
}

export class ManualScheduler implements Scheduler {
  readonly mode = "manual" as const;
  private now = 0;
  private seq = 0;
  private timers: VTimer[] = [];

  nowMs(): number {
    return this.now;
  }
  setTimer(ms: number, fn: () => void): TimerHandle {
    const t: VTimer = { due: this.now + Math.max(0, ms), seq: this.seq++, fn, live: true };
    this.timers.push(t);
    return { cancel: () => (t.live = false) };
  }
  pending(): number {
    return this.timers.filter((t) => t.live).length;
  }
  /** Advance virtual time by ms, firing due timers in order; `settle` runs after each so async work can land. */
  async advance(ms: number, settle: () => Promise<void>): Promise<void> {
    const target = this.now + ms;
    await settle();
    for (;;) {
      this.timers = this.timers.filter((t) => t.live);
      const next = this.timers.filter((t) => t.due <= target).sort((a, b) => a.due - b.due || a.seq - b.seq)[0];
      if (!next) break;
      next.live = false;
      this.now = next.due;
      next.fn();
      await settle();
    }
    this.now = target;
    await settle();
  }
  cancelAll(): void {
    for (const t of this.timers) t.live = false;
    this.timers = [];
  }
}

/** Let promise callbacks and setImmediate work (http_call deliveries, queue notifications) run. */
export async function settle(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
}
