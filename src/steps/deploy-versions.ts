import { InterruptedError, WizardError } from '../errors.js';
import type { Io } from '../io/types.js';
import { manifestsFor } from '../manifests/index.js';
import { injectionEnabled } from '../manifests/labels.js';
import { type ApplyStep, applyStep } from './applyStep.js';

/** One apps/v1 Deployment per version behind one Service; then wait for each rollout. */
export const deployVersionsStep: ApplyStep<'deploy-versions', 'config' | 'outputs' | 'ask' | 'progress'> =
  applyStep({
    id: 'deploy-versions',
    title: 'Deploy one Deployment per version behind a Service',
    answers: ['image', 'versions', 'namespace', 'app'],
    inputs: ({ config }) => ({
      ns: config.namespace,
      app: config.app,
      image: config.image,
      versions: config.versions,
      mode: config.api,
    }),
    manifests: ({ config }) => manifestsFor.deployVersions(config),
    async before({ io, config, log, outputs, ask }) {
      // Created when missing, only the name: the namespace is not ours to label or to delete on teardown. An existing
      // one is left alone: writing it needs `patch namespaces`, which preflight does not ask for (and many users lack).
      if ((await io.cluster.ensureNamespace(config.namespace)) === 'created') {
        log(`created    Namespace/${config.namespace}`);
      }
      // Preflight warned that the app pods would run without a sidecar: offer the label, never set it silently, and
      // only to a user allowed to set it (patch on this Namespace object).
      // What preflight saw may be from an earlier run: read the label now, so a namespace labelled since (by this
      // offer or by hand) is reported unchanged and not asked about again.
      // Found on (by preflight now, or read now) is said like any object the run leaves as it is: unchanged.
      const offer = outputs.preflight?.sidecarInjection === false && ask;
      if (
        outputs.preflight?.sidecarInjection === true ||
        (offer && (await injectionNow(io, config.namespace)))
      ) {
        log(`unchanged  Namespace/${config.namespace} sidecar injection already enabled`);
        return;
      }
      if (offer) {
        const { allowed } = await io.cluster.accessReview({
          verb: 'patch',
          group: '',
          resource: 'namespaces',
          namespace: config.namespace,
        });
        if (!allowed) {
          log(
            `no permission to label namespace ${config.namespace}: pods run without the sidecar unless an admin runs kubectl label namespace ${config.namespace} istio-injection=enabled`,
          );
          return;
        }
        const message = `Label namespace ${config.namespace} with istio-injection=enabled (sidecars for the app pods)?`;
        if (await ask(message, true)) {
          await io.cluster.labelNamespaceForInjection(config.namespace);
          log(`labelled   Namespace/${config.namespace} istio-injection=enabled`);
        }
      }
    },
    async after({ io, config, flags, progress, signal, log }, objects) {
      // The Io knows whether anything persisted: a dry-run rolls nothing out, whatever --wait says.
      if (!io.cluster.persists) {
        log('no rollout to wait for: nothing persists in a dry-run');
        return;
      }
      if (!flags.wait) {
        log('not waiting for the rollout (--no-wait)');
        return;
      }
      // All rollouts at once, each within --wait-timeout: the step waits at most that long in total (not once per
      // version), and a timeout reports every Deployment that is not ready, not only the first.
      const results = await Promise.allSettled(
        objects
          .filter((o) => o.kind === 'Deployment')
          .map(async (obj) => {
            await io.cluster.waitForRollout(config.namespace, obj.metadata.name, {
              timeoutMs: flags.waitTimeoutSeconds * 1000,
              onProgress: progress,
              signal,
            });
            log(`rolled out Deployment/${config.namespace}/${obj.metadata.name}`);
          }),
      );
      const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
      const fatal =
        errors.find((e) => e instanceof InterruptedError) ?? errors.find((e) => !(e instanceof WizardError));
      if (fatal || errors.length === 1) throw fatal ?? errors[0];
      if (errors.length > 1) {
        const errs = errors as WizardError[];
        const hints = [...new Set(errs.flatMap((e) => (e.hint ? e.hint.split('; ') : [])))];
        throw new WizardError(
          errs.map((e) => e.message).join('\n'),
          undefined,
          hints.join('; ') || undefined,
        );
      }
    },
  });

/** Whether the namespace has sidecar injection on right now (a dry-run's recording Io finds no namespace: off). */
async function injectionNow(
  io: { cluster: Pick<Io['cluster'], 'get'> },
  namespace: string,
): Promise<boolean> {
  const ns = await io.cluster.get({ apiVersion: 'v1', kind: 'Namespace', name: namespace });
  return injectionEnabled(ns?.metadata.labels as Record<string, string> | undefined);
}
