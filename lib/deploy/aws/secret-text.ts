import { timingSafeEqual } from 'node:crypto';
import { inspect } from 'node:util';

export const REDACTED = '[redacted]';

/**
 * A secret string that does not print itself. String conversion, template literals, JSON.stringify and
 * util.inspect (console.log, jest diffs, error causes) all see `[redacted]`; only `reveal()` returns the value,
 * so every place that really needs it is greppable.
 */
export class SecretText {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
    Object.freeze(this);
  }

  reveal(): string {
    return this.#value;
  }

  /** Compares without revealing, in constant time for equal lengths. */
  equals(other: SecretText): boolean {
    const a = Buffer.from(this.#value, 'utf8');
    const b = Buffer.from(other.#value, 'utf8');
    return a.length === b.length && timingSafeEqual(a, b);
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [Symbol.toPrimitive](): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return `SecretText ${REDACTED}`;
  }
}
