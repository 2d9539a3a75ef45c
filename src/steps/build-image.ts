// build-image: build the Flask image with docker, podman or nerdctl and ship it where the cluster can pull it
// (kind/minikube/k3d node stores, or a registry). plan() and run() share one command list (src/image/commands.ts).
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { BuildTool, WizardConfig } from '../config/types.js';
import { InterruptedError, UsageError, WizardError } from '../errors.js';
import { type BuildCommand, buildCommands } from '../image/commands.js';
import { bundledFlaskContext } from '../image/paths.js';
import { imageRegistry } from '../image/reference.js';
import { resolveShipTarget, type ShipTarget } from '../image/target.js';
import { findTool, INSTALL_HINT, START_HINT } from '../image/tools.js';
import type { Step, StepContext, StepOutputs, StepPlan } from './types.js';

type Ctx = Pick<StepContext, 'config' | 'configDir' | 'stateDir' | 'io' | 'outputs' | 'log' | 'signal'>;

/** Lines of output a failure message carries (the end of a build log is where the error is). */
const TAIL_LINES = 15;

export function buildContextDir(config: WizardConfig, configDir: string): string {
  return config.build.context ? path.resolve(configDir, config.build.context) : bundledFlaskContext();
}

function archiveDir(stateDir: string): string {
  return path.join(stateDir, 'images');
}

/** Input problems that no command can fix: reported before anything runs. */
function checkShippable(config: WizardConfig, ship: ShipTarget): void {
  if (ship.target === 'push' && !imageRegistry(config.image)) {
    throw new UsageError(
      `image: "${config.image}" names no registry, and the image can't be loaded into the cluster directly (${ship.reason})`,
      [
        'image: use a reference with a registry the cluster can pull from, e.g. registry.example.com/flask:v2',
        'build.load: or set kind, minikube or k3d to load it into a local cluster (none: ship it yourself)',
      ],
      'or set build.enabled: false to use an image that is already pullable',
    );
  }
}

/** `docker build -t` takes a tag, never a digest: a digest is what a registry computes from the pushed image. */
function checkTaggable(image: string): void {
  if (image.includes('@')) {
    throw new UsageError(
      `image: "${image}" is pinned by a digest, and a built image can only be tagged (build -t takes no digest)`,
      [
        'image: use a tag to build, e.g. registry.example.com/flask:v2',
        'build.enabled: or set false (--skip-build) to deploy the pinned image as it is',
      ],
    );
  }
}

/** docker reads only `Dockerfile` by default: a context with just a `Containerfile` gets it named with -f. */
function containerfileOnly(dir: string): string | undefined {
  const containerfile = path.join(dir, 'Containerfile');
  return !existsSync(path.join(dir, 'Dockerfile')) && existsSync(containerfile) ? containerfile : undefined;
}

function checkContext(dir: string, configured: boolean): void {
  const field = configured ? 'build.context' : 'the bundled flask/ directory';
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UsageError(`${field}: ${dir} is not a directory`);
  }
  if (!['Dockerfile', 'Containerfile'].some((f) => existsSync(path.join(dir, f)))) {
    throw new UsageError(`${field}: ${dir} has no Dockerfile or Containerfile`);
  }
}

/** How each loader lists its clusters, for a failed load. */
const LIST_CLUSTERS: Record<string, string> = {
  kind: 'kind get clusters',
  minikube: 'minikube profile list',
  k3d: 'k3d cluster list',
};

function loaderOf(cmds: BuildCommand[]): string | undefined {
  return cmds.find((c) => c.phase === 'load')?.cmd;
}

function failure(c: BuildCommand, tool: BuildTool, image: string, tail: string[]): WizardError {
  const detail = tail.length ? `\n${tail.map((l) => `  | ${l}`).join('\n')}` : '';
  switch (c.phase) {
    case 'daemon':
      return new WizardError(
        `${tool} is installed but its engine is not running or not reachable (\`${tool} ${c.args.join(' ')}\` failed)${detail}`,
        1,
        `${START_HINT[tool]}; or set build.enabled: false to use a prebuilt image`,
      );
    case 'build':
      return new WizardError(
        `building ${image} failed (\`${tool} ${c.args.join(' ')}\`); last lines of the build log:${detail}`,
        1,
        'fix the Dockerfile or build.context, or set build.enabled: false to use a prebuilt image',
      );
    case 'push':
      return new WizardError(
        `pushing ${image} failed${detail}`,
        1,
        `log in to the registry (\`${`${tool} login ${imageRegistry(image) ?? ''}`.trim()}\`) and check that you may push there, or set build.load to load into a local cluster`,
      );
    case 'save':
      return new WizardError(
        `saving ${image} to an archive failed (\`${c.cmd} ${c.args.join(' ')}\`)${detail}`,
        1,
        'check the free space of the state directory, or set build.load: none and load the image yourself',
      );
    default:
      return new WizardError(
        `loading ${image} into the cluster failed (\`${c.cmd} ${c.args.join(' ')}\`)${detail}`,
        1,
        `check that the ${c.cmd} cluster exists (\`${LIST_CLUSTERS[c.cmd] ?? c.cmd}\`; the name comes from the kube context), or set build.load: none and load it yourself`,
      );
  }
}

/** The one command list plan() shows and run() runs. */
function commandsFor(tool: BuildTool, ship: ShipTarget, ctx: Pick<Ctx, 'config' | 'configDir' | 'stateDir'>) {
  const context = buildContextDir(ctx.config, ctx.configDir);
  return buildCommands({
    tool,
    image: ctx.config.image,
    context,
    file: containerfileOnly(context),
    ship,
    archiveDir: archiveDir(ctx.stateDir),
  });
}

export const buildImageStep: Step<'build-image', keyof Ctx> = {
  id: 'build-image',
  title: 'Build the Flask image',
  effect: 'external',
  // Uses preflight's cluster kind when there is one; with preflight skipped, the kube context's name.
  needs: [],
  answers: ['build.enabled', 'image', 'build.load'],

  inputs: ({ config, outputs }) => ({
    image: config.image,
    build: config.build,
    cluster: outputs.preflight
      ? {
          context: outputs.preflight.context,
          kind: outputs.preflight.clusterKind,
          name: outputs.preflight.clusterName,
        }
      : undefined,
  }),

  async plan(ctx): Promise<StepPlan> {
    const { config } = ctx;
    if (!config.build.enabled) {
      return { notes: [`build.enabled is false: nothing is built; the cluster pulls ${config.image} as is`] };
    }
    const notes: string[] = [];
    if (config.image.includes('@')) {
      notes.push(
        `image ${config.image} is pinned by a digest: use a tag to build it, or build.enabled: false`,
      );
    }
    const { found, tried } = await findTool(ctx.io.exec, config.build.tool);
    const ship = resolveShipTarget(config, ctx.outputs.preflight, ctx.io.cluster.target().context);
    notes.push(`ship: ${ship.target}${ship.cluster ? ` (${ship.cluster})` : ''} — ${ship.reason}`);
    let blocked: StepPlan['blocked'];
    if (ship.target === 'push' && !imageRegistry(config.image)) {
      notes.push(`image ${config.image} names no registry: set an image with a registry or build.load`);
      // Against a cluster this run would fail at the push: say so before asking to go ahead. (A client
      // dry-run knows no cluster, so where the image would go is only a guess there: a note.)
      if (!ctx.io.cluster.target().offline) {
        blocked = {
          reason: `${config.image} names no registry to push to, and ${ship.reason}: nothing could pull the image`,
          fix: 'set build.load (kind, minikube, k3d, none) or the image registry (e.g. localhost:5000/flask:v2)',
          keys: ['image', 'build.load'],
        };
      }
    }
    if (!found) {
      notes.push(
        `no container tool on PATH (looked for ${tried.join(', ')}): ${tried.map((t) => INSTALL_HINT[t]).join(', or ')}`,
      );
    }
    // Without a tool on PATH the plan still shows what would run with the first candidate.
    const tool = found?.tool ?? tried[0] ?? 'docker';
    const commands = commandsFor(tool, ship, ctx);
    const loader = loaderOf(commands);
    if (loader && !(await ctx.io.exec.which(loader)))
      notes.push(`${loader} is not on PATH: ${INSTALL_HINT[loader as 'kind']}`);
    return { commands: commands.map(({ phase: _p, ...c }) => c), notes, ...(blocked ? { blocked } : {}) };
  },

  async run(ctx): Promise<Partial<StepOutputs>> {
    const { config, io } = ctx;
    if (!config.build.enabled) {
      ctx.log(`build.enabled is false: using the prebuilt image ${config.image}`);
      return { 'build-image': { image: config.image, prebuilt: true } };
    }
    checkTaggable(config.image);
    const context = buildContextDir(config, ctx.configDir);
    checkContext(context, Boolean(config.build.context));
    const ship = resolveShipTarget(config, ctx.outputs.preflight, ctx.io.cluster.target().context);
    checkShippable(config, ship);

    const { found, tried } = await findTool(io.exec, config.build.tool);
    if (!found) {
      // A configured tool that is missing while another one is installed: say so.
      const other = config.build.tool ? (await findTool(io.exec, undefined)).found?.tool : undefined;
      throw new WizardError(
        config.build.tool
          ? `build.tool (--build-tool) is ${config.build.tool}, but ${config.build.tool} is not on PATH`
          : `no container tool found on PATH (looked for ${tried.join(', ')})`,
        1,
        `${tried.map((t) => INSTALL_HINT[t]).join(', or ')}${other ? `; or use ${other}, which is on PATH (build.tool / --build-tool ${other})` : ''}; or set build.enabled: false to use a prebuilt image`,
      );
    }
    const tool = found.tool;
    const commands = commandsFor(tool, ship, ctx);
    const loader = loaderOf(commands);
    // Check the loader before a (possibly long) build, not after it.
    if (loader && !(await io.exec.which(loader))) {
      throw new WizardError(
        `${loader} is not on PATH, but the image must be loaded into the ${ship.target} cluster ${ship.cluster ?? ''}`.trim(),
        1,
        `${INSTALL_HINT[loader as 'kind']}; or set build.load (push with a registry image, or none)`,
      );
    }
    if (commands.some((c) => c.phase === 'save')) mkdirSync(archiveDir(ctx.stateDir), { recursive: true });

    for (const c of commands) {
      ctx.log(`$ ${c.cmd} ${c.args.join(' ')}`);
      const tail: string[] = [];
      const r = await io.exec.run(c.cmd, c.args, {
        signal: ctx.signal,
        onLine: (line) => {
          tail.push(line);
          if (tail.length > TAIL_LINES) tail.shift();
          // The daemon probe's output is noise; everything else is the log a person wants to watch.
          if (c.phase !== 'daemon') ctx.log(line);
        },
      });
      if (ctx.signal.aborted) throw new InterruptedError();
      if (r.notFound) {
        throw new WizardError(
          `${c.cmd} is not installed (could not start it)`,
          1,
          INSTALL_HINT[c.cmd as BuildTool],
        );
      }
      if (r.exitCode !== 0) {
        if (!tail.length) tail.push(...`${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-TAIL_LINES));
        throw failure(
          c,
          tool,
          config.image,
          tail.filter((l) => l.trim() !== ''),
        );
      }
    }
    const loadedInto =
      ship.target === 'push'
        ? `registry ${imageRegistry(config.image)}`
        : ship.target === 'none'
          ? undefined
          : `${ship.target} ${ship.cluster}`;
    ctx.log(
      ship.target === 'push'
        ? `pushed ${config.image} to ${loadedInto}`
        : loadedInto
          ? `loaded ${config.image} into the ${ship.target} cluster ${ship.cluster}`
          : `${config.image} built (build.load: none)`,
    );
    return { 'build-image': { image: config.image, tool, loadedInto } };
  },
};
