import { Actor } from './actors';
import { Random } from './random';
import { Call, Place, denied, toRecord } from './records';

/** The records of one log file being built, and how many more it takes. */
export interface FileBuffer {
  times: number[];
  records: Array<Record<string, unknown>>;
  budget: number;
}

/**
 * Where a scenario writes its events: one log file's time window and record
 * budget. Time moves forward a few seconds per call; a scenario stops when
 * the budget is spent (emit returns false).
 */
export class Scene {
  private t: number;

  constructor(
    readonly place: Place,
    start: number,
    private readonly end: number,
    private readonly out: FileBuffer,
    /** On the last day the first scenarios of a stream show every kind of event at least once. */
    readonly showcase: boolean,
  ) {
    this.t = start;
  }

  get rng(): Random {
    return this.place.rng;
  }

  now(): number {
    return this.t;
  }

  /** Moves time forward by a few seconds (never past the window). */
  wait(min = 1, max = 20): number {
    this.t = Math.min(this.end, this.t + this.rng.int(min, max));
    return this.t;
  }

  emit(actor: Actor, call: Call, deniedRate = 0): boolean {
    if (this.out.budget <= 0) return false;
    // Global services (IAM, sign-in) record in us-east-1: from another region's file the call is left out.
    if (call.region !== undefined && call.region !== this.place.region) return true;
    const c = deniedRate > 0 && this.rng.chance(deniedRate) ? denied(call, actor, this.rng) : call;
    this.out.times.push(this.t);
    this.out.records.push(toRecord(this.place, actor, c, this.t));
    this.out.budget--;
    this.wait();
    return this.out.budget > 0;
  }

  /** Emits calls from `make` until `n` are written or the budget is spent. */
  repeat(n: number, actor: Actor, make: () => Call, deniedRate = 0): void {
    for (let i = 0; i < n; i++) if (!this.emit(actor, make(), deniedRate)) return;
  }
}
