import { describe, expect, it } from 'vitest';
import { VerifiedCredentials } from './verified-cache.ts';

describe('VerifiedCredentials', () => {
  it('remembers a success for its time to live, for that stored hash and password only', () => {
    const c = new VerifiedCredentials(60_000);
    c.add('$argon2id$a', 'Đúng@Mật2026', 1000);
    expect(c.has('$argon2id$a', 'Đúng@Mật2026', 1000 + 59_999)).toBe(true);
    expect(c.has('$argon2id$a', 'Đúng@Mật2027', 2000)).toBe(false); // another password
    expect(c.has('$argon2id$b', 'Đúng@Mật2026', 2000)).toBe(false); // the password was changed
    expect(c.has('$argon2id$a', 'Đúng@Mật2026', 1000 + 60_000)).toBe(false); // expired, and dropped
    expect(c.size).toBe(0);
  });

  it('is off with a zero time to live and stays within its bound', () => {
    const off = new VerifiedCredentials(0);
    off.add('h', 'p', 0);
    expect(off.has('h', 'p', 0)).toBe(false);
    const small = new VerifiedCredentials(60_000, 2);
    small.add('h', 'p1', 0);
    small.add('h', 'p2', 0);
    small.add('h', 'p3', 0);
    expect(small.size).toBe(2);
    expect(small.has('h', 'p1', 1)).toBe(false); // the oldest went first
    expect(small.has('h', 'p3', 1)).toBe(true);
  });
});
