import { describe, expect, it } from 'vitest';
import { fail, formatCheck, pass, warn } from '../../../src/steps/preflight/result.js';

describe('preflight results', () => {
  it('formats results with words', () => {
    expect(formatCheck(pass('ok'))).toBe('PASS  ok');
    expect(formatCheck(warn('hmm', 'do x'))).toBe('WARN  hmm — fix: do x');
    expect(formatCheck(fail('no'))).toBe('FAIL  no');
  });
});
