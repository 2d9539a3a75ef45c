import { describe, expect, it } from 'vitest';
import { stableStringify } from '../../src/lib/stableJson.js';

describe('stableStringify', () => {
  it('does not depend on key order, at any depth', () => {
    expect(stableStringify({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: 3 } })).toBe(
      '{"a":{"c":3,"d":[1,{"x":1,"y":2}]},"b":1}',
    );
  });

  it('drops undefined members and writes undefined array items as null, as JSON.stringify does', () => {
    const v = { a: undefined, b: [undefined, 1] };
    expect(stableStringify(v)).toBe(JSON.stringify(v));
    expect(stableStringify(undefined)).toBe('null');
  });

  it('uses toJSON (a Date is its ISO text)', () => {
    expect(stableStringify({ at: new Date(0) })).toBe('{"at":"1970-01-01T00:00:00.000Z"}');
  });
});
