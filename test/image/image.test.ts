import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledFlaskContext, packageRoot } from '../../src/image/paths.js';
import { imageRegistry } from '../../src/image/reference.js';
import { clusterFromContext, resolveShipTarget } from '../../src/image/target.js';
import { defaultsWith } from '../support/configs.js';
import { preflight } from '../support/context.js';

describe('imageRegistry', () => {
  it.each([
    ['python-flask-server:v2', undefined],
    ['me/flask:v2', undefined],
    ['library/python:3.12', undefined],
    ['registry.example.com/flask:v2', 'registry.example.com'],
    ['localhost/flask', 'localhost'],
    ['localhost:5000/a/b:c', 'localhost:5000'],
    ['10.0.0.1:5000/flask', '10.0.0.1:5000'],
  ])('%s → %s', (image, registry) => {
    expect(imageRegistry(image)).toBe(registry);
  });
});

describe('ship target', () => {
  it('reads kind, k3d and minikube context names, and nothing else', () => {
    expect(clusterFromContext('kind-dev')).toEqual({ kind: 'kind', name: 'dev' });
    expect(clusterFromContext('k3d-a-b')).toEqual({ kind: 'k3d', name: 'a-b' });
    expect(clusterFromContext('minikube')).toEqual({ kind: 'minikube', name: 'minikube' });
    expect(clusterFromContext('kind-')).toBeUndefined();
    expect(clusterFromContext('gke_proj_zone_name')).toBeUndefined();
  });

  it('preflight clusterKind wins over the context name; other → push', () => {
    const c = defaultsWith();
    expect(
      resolveShipTarget(c, preflight({ context: 'kind-a', clusterKind: 'k3d', clusterName: 'b' })),
    ).toMatchObject({
      target: 'k3d',
      cluster: 'b',
    });
    expect(resolveShipTarget(c, preflight({ clusterKind: 'other' })).target).toBe('push');
    expect(resolveShipTarget(c, undefined).target).toBe('push');
  });
});

describe('packageRoot', () => {
  it('finds this package from src/ and ships the Flask context', () => {
    expect(packageRoot()).toBe(path.resolve(import.meta.dirname, '../..'));
    expect(existsSync(path.join(bundledFlaskContext(), 'Dockerfile'))).toBe(true);
  });
  it('finds it from a file nested in dist/ too', () => {
    const root = path.resolve(import.meta.dirname, '../..');
    expect(packageRoot(path.join(root, 'dist', 'wizard.js'))).toBe(root);
  });
});
