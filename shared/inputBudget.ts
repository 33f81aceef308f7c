// How much terminal input one session may send: a token bucket of bytes. Typing and pasting
// a file stay far inside it; a script pushing megabytes (which the emulated pod's line editor
// and the exec stream would buffer, growing the engine by hundreds of MB) is refused early.

export const TERMINAL_INPUT_LIMITS = {
  /** One terminalWrite (the LabApi schema refuses larger messages before this). */
  maxMessageBytes: 64 * 1024,
  /** Sustained bytes per second per terminal. */
  bytesPerSecond: 64 * 1024,
  /** What may arrive at once after a pause (a paste). */
  burstBytes: 128 * 1024,
} as const;

export class InputBudget {
  private tokens: number;
  private last: number;

  constructor(
    private readonly limits: { bytesPerSecond: number; burstBytes: number } = TERMINAL_INPUT_LIMITS,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = limits.burstBytes;
    this.last = now();
  }

  /** Takes `bytes` from the budget; false (and nothing taken) when they do not fit. */
  take(bytes: number): boolean {
    const t = this.now();
    this.tokens = Math.min(this.limits.burstBytes, this.tokens + ((t - this.last) / 1000) * this.limits.bytesPerSecond);
    this.last = t;
    if (bytes > this.tokens) return false;
    this.tokens -= bytes;
    return true;
  }
}
