import { format, inspect } from 'node:util';
import { SecretText } from '../../../lib/deploy/aws/secret-text';

const value = 'super-secret-value-that-must-not-print';

describe('SecretText', () => {
  const secret = new SecretText(value);

  it('reveals the value only through reveal()', () => {
    expect(secret.reveal()).toBe(value);
  });

  it.each([
    ['String()', () => String(secret)],
    ['template literal', () => `${secret}`],
    ['concatenation', () => 'x' + secret],
    ['JSON.stringify', () => JSON.stringify({ secret })],
    ['util.inspect', () => inspect(secret)],
    ['util.inspect nested, showHidden', () => inspect({ a: [secret] }, { showHidden: true, depth: 10 })],
    ['util.format %s / %o / %j', () => format('%s %o %j', secret, secret, { secret })],
    ['Object.keys / entries', () => JSON.stringify(Object.entries(secret))],
  ])('shows [redacted] for %s', (_label, render) => {
    const text = render();
    expect(text).not.toContain(value);
  });

  it('says [redacted] where a string is expected', () => {
    expect(String(secret)).toBe('[redacted]');
    expect(JSON.stringify({ secret })).toBe('{"secret":"[redacted]"}');
    expect(inspect(secret)).toBe('SecretText [redacted]');
  });

  it('compares values without revealing them', () => {
    expect(secret.equals(new SecretText(value))).toBe(true);
    expect(secret.equals(new SecretText(`${value}x`))).toBe(false);
    expect(secret.equals(new SecretText(value.replace('s', 'S')))).toBe(false);
  });

  it('cannot be modified', () => {
    expect(Object.isFrozen(secret)).toBe(true);
  });
});
