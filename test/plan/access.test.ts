import { describe, expect, it } from 'vitest';
import { accessQuestions, describeQuestion } from '../../src/plan/access.js';
import { plannedRefs } from '../../src/plan/objects.js';
import { exampleConfig } from '../support/configs.js';

describe('accessQuestions', () => {
  it('asks for every verb the plan needs, including secrets in the gateway namespace', () => {
    const cfg = exampleConfig();
    const qs = accessQuestions(plannedRefs(cfg, 'networking.istio.io/v1'), {
      gatewayNamespace: 'istio-system',
      appNamespace: 'default',
      createNamespace: true,
    }).map(describeQuestion);
    for (const verb of ['get', 'create', 'patch']) {
      expect(qs).toContain(`${verb} deployments.apps in namespace default`);
      expect(qs).toContain(`${verb} services in namespace default`);
      expect(qs).toContain(`${verb} gateways.networking.istio.io in namespace default`);
      expect(qs).toContain(`${verb} secrets in namespace istio-system`);
    }
    expect(qs).toContain('create namespaces (cluster-wide)');
    expect(qs).toContain('patch namespaces (cluster-wide)');
    expect(qs).toContain('list pods in namespace istio-system');
    expect(new Set(qs).size).toBe(qs.length);
  });
});
