// --api gateway-api as a user runs it: the built binary's client dry-run (YAML and -o json on stdout, notes on
// stderr), and the mode's config errors as exit 2.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { runWizard } from '../support/cli.js';
import { validateAgainstCrd } from '../support/crdSchemas.js';

const tmp = () => mkdtemp(path.join(tmpdir(), 'wizard-cli-gwapi-'));

describe('wizard --dry-run --api gateway-api', () => {
  it('prints the Gateway API plan in apply order, valid against the v1.6.1 CRDs; -o json the same as a List', async () => {
    const state = await tmp();
    const yaml = await runWizard(['--dry-run', '--yes', '--api', 'gateway-api', '--state-dir', state]);
    expect(yaml.code, yaml.stderr).toBe(0);
    const objects = parseAllDocuments(yaml.stdout).map((d) => d.toJS());
    expect(objects.map((o) => o.kind)).toEqual([
      'Deployment',
      'Deployment',
      'Service',
      'Service',
      'Service',
      'DestinationRule',
      'DestinationRule',
      'Secret',
      'Secret',
      'Gateway',
      'HTTPRoute',
      'HTTPRoute',
    ]);
    for (const o of objects.filter((x) => x.apiVersion.startsWith('gateway.networking.k8s.io/'))) {
      expect(validateAgainstCrd(o), `${o.kind}/${o.metadata.name}`).toEqual([]);
    }
    expect(yaml.stdout).not.toMatch(/PRIVATE KEY/);
    const json = await runWizard([
      '--dry-run',
      '--yes',
      '--api',
      'gateway-api',
      '-o',
      'json',
      '--state-dir',
      state,
    ]);
    expect(json.code).toBe(0);
    const list = JSON.parse(json.stdout);
    expect(list.kind).toBe('List');
    expect(list.items.map((o: { kind: string }) => o.kind)).toEqual(objects.map((o) => o.kind));
  });

  it('a config mixing MUTUAL and SIMPLE is exit 2 naming the host and the reason; a bad --api value too', async () => {
    const dir = await tmp();
    const file = path.join(dir, 'mixed.yaml');
    await writeFile(
      file,
      `api: gateway-api
hosts:
  - { name: a.example.com, protocol: HTTPS, tls: { mode: SIMPLE }, route: v1 }
  - { name: b.example.com, protocol: HTTPS, tls: { mode: MUTUAL }, route: v2 }
`,
    );
    const r = await runWizard(['--dry-run', '--yes', '--config', file, '--state-dir', path.join(dir, 's')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('hosts[1].tls.mode: MUTUAL here but hosts[0] is SIMPLE on the same port 443');
    expect(r.stderr).toContain('connection coalescing');
    // The same file in istio mode is fine (per-host MUTUAL): --api overrides the config.
    const istio = await runWizard([
      '--dry-run',
      '--yes',
      '--api',
      'istio',
      '--config',
      file,
      '--state-dir',
      path.join(dir, 's'),
    ]);
    expect(istio.code, istio.stderr).toBe(0);
    const bad = await runWizard(['--dry-run', '--yes', '--api', 'gateway']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--api: "gateway" is not allowed (istio, gateway-api)');
  });
});
