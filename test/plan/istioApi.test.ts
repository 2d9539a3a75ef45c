import { describe, expect, it } from 'vitest';
import { pickApiVersion } from '../../src/plan/istioApi.js';

describe('pickApiVersion', () => {
  it('auto prefers v1, then v1beta1, then v1alpha3; explicit must be served', () => {
    expect(pickApiVersion(['v1beta1', 'v1', 'v1alpha3'], 'auto')).toBe('networking.istio.io/v1');
    expect(pickApiVersion(['v1alpha3', 'v1beta1'], 'auto')).toBe('networking.istio.io/v1beta1');
    expect(pickApiVersion(['v1alpha3'], 'auto')).toBe('networking.istio.io/v1alpha3');
    expect(pickApiVersion(['v2'], 'auto')).toBeUndefined();
    expect(pickApiVersion(['v1beta1'], 'networking.istio.io/v1')).toBeUndefined();
  });
});
