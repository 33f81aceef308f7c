// Codes that stand in for the web shell's token where a URL must pass through a command line
// (`web --open` runs xdg-open/open/explorer with the URL as an argument, and every local user
// can read process arguments). A code works once, for a minute, and is only exchanged for a
// redirect to the tokened page on 127.0.0.1; a leaked code that was already used is worthless.
import { randomBytes, timingSafeEqual } from 'node:crypto';

export const CODE_LIFETIME_MS = 60_000;
const MAX_PENDING = 16;

export class OneTimeCodes {
  private readonly pending = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  issue(): string {
    this.expire();
    // Bounded: a caller issuing in a loop cannot grow this map.
    if (this.pending.size >= MAX_PENDING) this.pending.delete(this.pending.keys().next().value!);
    const code = randomBytes(18).toString('base64url');
    this.pending.set(code, this.now() + CODE_LIFETIME_MS);
    return code;
  }

  /** True once per issued, unexpired code. */
  redeem(given: string): boolean {
    this.expire();
    const a = Buffer.from(given);
    for (const code of this.pending.keys()) {
      const b = Buffer.from(code);
      if (a.length === b.length && timingSafeEqual(a, b)) {
        this.pending.delete(code);
        return true;
      }
    }
    return false;
  }

  private expire(): void {
    const t = this.now();
    for (const [code, until] of this.pending) if (until <= t) this.pending.delete(code);
  }
}
