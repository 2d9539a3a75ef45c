// Reading kubeconfig like kubectl (no API server needed): precedence, KUBECONFIG merging, errors.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError, WizardError } from '../../../src/errors.js';
import { loadKubeconfig } from '../../../src/io/kube/kubeconfig.js';

const dir = mkdtempSync(path.join(tmpdir(), 'kubeconfig-test-'));

function kubeconfig(
  file: string,
  o: { clusters: [string, string][]; contexts: [string, string, string?][]; current?: string; user?: string },
) {
  const text = `apiVersion: v1
kind: Config
clusters:
${o.clusters.map(([n, s]) => `- name: ${n}\n  cluster:\n    server: ${s}\n    certificate-authority: certs/ca.crt`).join('\n')}
users:
- name: u
  user:
    ${o.user ?? 'token: abc'}
contexts:
${o.contexts.map(([n, c, ns]) => `- name: ${n}\n  context:\n    cluster: ${c}\n    user: u${ns ? `\n    namespace: ${ns}` : ''}`).join('\n')}
${o.current ? `current-context: ${o.current}` : ''}
`;
  const full = path.join(dir, file);
  writeFileSync(full, text);
  return full;
}

describe('kubeconfig loading', () => {
  const a = kubeconfig('a.yaml', {
    clusters: [['c1', 'https://one:6443']],
    contexts: [['ctx-a', 'c1', 'team-a']],
    current: 'ctx-a',
  });
  const b = kubeconfig('b.yaml', {
    clusters: [
      ['c1', 'https://shadowed:6443'],
      ['c2', 'https://two:6443/'],
    ],
    contexts: [
      ['ctx-b', 'c2'],
      ['ctx-a', 'c2'],
    ],
    current: 'ctx-b',
  });

  it('--kubeconfig reads only that file', async () => {
    const k = await loadKubeconfig({ kubeconfig: a, env: { KUBECONFIG: b } });
    expect(k.files).toEqual([a]);
    expect(k.context).toBe('ctx-a');
    expect(k.server).toBe('https://one:6443');
    expect(k.namespace).toBe('team-a');
    expect(k.target.auth).toBe('token');
  });

  it('KUBECONFIG files are merged, first file wins (names and current-context), like kubectl', async () => {
    const k = await loadKubeconfig({ env: { KUBECONFIG: `${a}${path.delimiter}${b}` } });
    expect(k.files).toEqual([a, b]);
    expect(k.context).toBe('ctx-a');
    expect(k.server).toBe('https://one:6443'); // c1 from a, not the shadowing c1 in b
    expect(k.kc.getContexts().map((c) => c.name)).toEqual(['ctx-a', 'ctx-b']);
    const viaB = await loadKubeconfig({ env: { KUBECONFIG: `${a}${path.delimiter}${b}` }, context: 'ctx-b' });
    expect(viaB.server).toBe('https://two:6443'); // trailing slash dropped
    expect(viaB.namespace).toBeUndefined();
  });

  it('relative certificate paths are resolved against the file that names them', async () => {
    const k = await loadKubeconfig({ kubeconfig: a });
    expect(k.kc.getCurrentCluster()?.caFile).toBe(path.join(dir, 'certs/ca.crt'));
  });

  it('missing KUBECONFIG entries are skipped; ~/.kube/config is the default', async () => {
    const k = await loadKubeconfig({ env: { KUBECONFIG: `/nonexistent/x${path.delimiter}${b}` } });
    expect(k.context).toBe('ctx-b');
    const home = mkdtempSync(path.join(tmpdir(), 'home-'));
    await expect(loadKubeconfig({ env: {}, home })).rejects.toThrow(
      /no kubeconfig found: .*\.kube\/config does not exist/,
    );
  });

  it('a missing --kubeconfig file is a usage error naming the file', async () => {
    const err = await loadKubeconfig({ kubeconfig: '/nope/config' }).catch((e) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toBe('--kubeconfig: file /nope/config does not exist');
  });

  it('an unparsable file names the file', async () => {
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, 'clusters: [\n  - {name: x, cluster: {}}\n');
    const err = await loadKubeconfig({ kubeconfig: bad }).catch((e) => e);
    expect(err).toBeInstanceOf(WizardError);
    expect(err.message).toContain(`cannot read kubeconfig ${bad}`);
  });

  it('an empty file or a YAML list is named and explained', async () => {
    const empty = path.join(dir, 'empty.yaml');
    writeFileSync(empty, '');
    await expect(loadKubeconfig({ kubeconfig: empty })).rejects.toThrow(
      `cannot read kubeconfig ${empty}: the file is empty`,
    );
    const list = path.join(dir, 'list.yaml');
    writeFileSync(list, '- a\n- b\n');
    await expect(loadKubeconfig({ kubeconfig: list })).rejects.toThrow(
      `cannot read kubeconfig ${list}: not a YAML mapping`,
    );
    const broken = path.join(dir, 'broken.yaml');
    writeFileSync(broken, 'clusters: [\n');
    await expect(loadKubeconfig({ kubeconfig: broken })).rejects.toThrow(
      `cannot read kubeconfig ${broken}: `,
    );
  });

  it('an unknown --context lists the available ones', async () => {
    const err = await loadKubeconfig({ kubeconfig: b, context: 'prod' }).catch((e) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toBe(`--context: no context "prod" in ${b}; available: ctx-b, ctx-a`);
  });

  it('no current-context asks for --context', async () => {
    const none = kubeconfig('none.yaml', { clusters: [['c1', 'https://x']], contexts: [['only', 'c1']] });
    const err = await loadKubeconfig({ kubeconfig: none }).catch((e) => e);
    expect(err.message).toBe(`no current-context set in ${none}`);
    expect(err.hint).toContain('--context NAME (available: only)');
  });

  it('tells exec-plugin users apart (for the expired-token hint)', async () => {
    const exec = kubeconfig('exec.yaml', {
      clusters: [['c1', 'https://x']],
      contexts: [['e', 'c1']],
      current: 'e',
      user: 'exec: {apiVersion: client.authentication.k8s.io/v1, command: gke-gcloud-auth-plugin}',
    });
    const k = await loadKubeconfig({ kubeconfig: exec });
    expect(k.target).toMatchObject({ auth: 'exec', execCommand: 'gke-gcloud-auth-plugin' });
  });
});

describe('kubeconfig server URL', () => {
  it('a server without a scheme is https, as kubectl takes it (not "Invalid URL")', async () => {
    const file = kubeconfig('noscheme.yaml', {
      clusters: [['c', '127.0.0.1:6443']],
      contexts: [['x', 'c']],
      current: 'x',
    });
    const got = await loadKubeconfig({ kubeconfig: file, env: {} });
    expect(got.server).toBe('https://127.0.0.1:6443');
    expect(got.target.server).toBe('https://127.0.0.1:6443');
  });
});
