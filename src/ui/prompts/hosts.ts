// The host loop: add / edit / remove hosts until done. Each host is a name, HTTP or HTTPS (with a TLS mode), and
// a route to one subset or a weighted split. Validation is the config file's, inline: a bad name is asked again.
import { checkHostName, checkWeight, hostFromUrl } from '../../config/rules.js';
import type { HostConfig, Protocol, RouteConfig, TlsMode } from '../../config/types.js';
import { ask, type PromptIo, promptContext, requireInteractive } from './io.js';
import { confirm, input, number, select } from './kit.js';

export interface EditHostsOptions {
  io?: PromptIo;
}

type Action = 'add' | 'edit' | 'remove' | 'done';

/** A host as a config file may give it: the `route: v2` shorthand, or parts still to be asked for. */
export type RawHost = Partial<Omit<HostConfig, 'routes'>> & {
  route?: string;
  routes?: Partial<RouteConfig>[];
};

/** The long form of a file's host: `route: v2` → routes [{ v2, 100 }]; a missing weight is 100. */
function normaliseHost(h: RawHost): RawHost {
  const { route, ...rest } = h;
  if (rest.routes) return { ...rest, routes: rest.routes.map((r) => ({ ...r, weight: r.weight ?? 100 })) };
  return typeof route === 'string' ? { ...rest, routes: [{ subset: route, weight: 100 }] } : rest;
}

function isComplete(h: RawHost): h is HostConfig {
  return (
    typeof h.name === 'string' &&
    (h.protocol === 'HTTP' || h.protocol === 'HTTPS') &&
    Array.isArray(h.routes) &&
    h.routes.length > 0 &&
    h.routes.every((r) => typeof r.subset === 'string' && typeof r.weight === 'number')
  );
}

/** One line per host, for the list above the menu: "split.example.com  HTTPS (SIMPLE)  v1 80%, v2 20%". */
export function describeHost(host: HostConfig | RawHost): string {
  const h = normaliseHost(host);
  const proto =
    h.protocol === 'HTTPS' ? `HTTPS (${h.tls?.mode ?? 'SIMPLE'})` : (h.protocol ?? '(protocol not set)');
  const list = h.routes ?? [];
  const total = list.reduce((sum, r) => sum + (r.weight ?? 0), 0);
  const routes =
    list.length === 0
      ? '→ (route not set)'
      : list.length === 1
        ? `→ ${list[0]?.subset}`
        : `→ ${list.map((r) => `${r.subset} ${total ? Math.round(((r.weight ?? 0) * 100) / total) : 0}%`).join(', ')}`;
  return `${h.name ?? '(name not set)'}  ${proto}  ${routes}`;
}

export async function editHosts(
  hosts: readonly (HostConfig | RawHost)[],
  versions: readonly string[],
  opts: EditHostsOptions = {},
): Promise<HostConfig[]> {
  const io = opts.io ?? {};
  requireInteractive(io, ['hosts']);
  const ctx = promptContext(io);
  // What a config file leaves out of a host is asked for first: only the route when that is all that is missing.
  const list: HostConfig[] = [];
  for (const raw of structuredClone([...hosts]).map(normaliseHost)) {
    if (isComplete(raw)) list.push(raw);
    else if (typeof raw.name === 'string' && raw.protocol && !raw.routes?.length) {
      ctx.output?.write(`${raw.name} has no route in the config:\n`);
      list.push({ ...(raw as HostConfig), routes: await askRoutes(raw.name, undefined, versions, ctx) });
    } else list.push(await askHost(raw as HostConfig, [...list, raw as HostConfig], versions, ctx));
  }

  for (;;) {
    const listing = list.length
      ? list.map((h, i) => `  ${i + 1}. ${describeHost(h)}`).join('\n')
      : '  (none yet: add at least one)';
    const action = await ask(() =>
      select<Action>(
        {
          message: `Hosts:\n${listing}\n  What next?`,
          choices: [
            { name: 'Add a host', value: 'add' },
            { name: 'Edit a host', value: 'edit', disabled: list.length === 0 },
            { name: 'Remove a host', value: 'remove', disabled: list.length === 0 },
            { name: 'Done', value: 'done', disabled: list.length === 0 ? '(add a host first)' : false },
          ],
          default: list.length ? 'done' : 'add',
        },
        ctx,
      ),
    );
    if (action === 'done') return list;
    if (action === 'add') {
      list.push(await askHost(undefined, list, versions, ctx));
      continue;
    }
    const index = await ask(() =>
      select<number>(
        {
          message: action === 'edit' ? 'Edit which host?' : 'Remove which host?',
          choices: list.map((h, i) => ({ name: describeHost(h), value: i })),
        },
        ctx,
      ),
    );
    if (action === 'remove') list.splice(index, 1);
    else list[index] = await askHost(list[index], list, versions, ctx);
  }
}

async function askHost(
  current: HostConfig | undefined,
  all: readonly HostConfig[],
  versions: readonly string[],
  ctx: ReturnType<typeof promptContext>,
): Promise<HostConfig> {
  const others = all.filter((h) => h !== current).map((h) => h.name);
  const name = await askHostName(current?.name, others, ctx);
  const protocol = await ask(() =>
    select<Protocol>(
      {
        message: `Protocol for ${name}`,
        choices: [
          { name: 'HTTP', value: 'HTTP' },
          { name: 'HTTPS (its own certificate)', value: 'HTTPS' },
        ],
        default: current?.protocol ?? 'HTTP',
      },
      ctx,
    ),
  );
  const host: HostConfig = { name, protocol, routes: [] };
  if (protocol === 'HTTPS') {
    const mode = await ask(() =>
      select<TlsMode>(
        {
          message: `TLS mode for ${name}`,
          choices: [
            { name: 'SIMPLE (server certificate)', value: 'SIMPLE' },
            { name: 'MUTUAL (clients need a certificate too)', value: 'MUTUAL' },
          ],
          default: current?.tls?.mode ?? 'SIMPLE',
        },
        ctx,
      ),
    );
    // Bring-your-own cert paths set in the config file survive an edit.
    host.tls = { ...current?.tls, mode };
  }
  host.routes = await askRoutes(name, current?.routes, versions, ctx);
  return host;
}

/** The name, asked until valid; a pasted URL is recognised and its host part offered. */
async function askHostName(
  current: string | undefined,
  others: readonly string[],
  ctx: ReturnType<typeof promptContext>,
): Promise<string> {
  const problem = (v: string) =>
    checkHostName(v) ?? (others.includes(v) ? `"${v}" is already in the list` : undefined);
  for (;;) {
    const typed = (
      await ask(() =>
        input(
          {
            message: 'Host name (e.g. app.example.com or *.example.com)',
            default: current,
            validate: (raw) => {
              const v = raw.trim();
              const fromUrl = hostFromUrl(v);
              return fromUrl && !problem(fromUrl) ? true : (problem(v) ?? true);
            },
          },
          ctx,
        ),
      )
    ).trim();
    const fromUrl = hostFromUrl(typed);
    if (!fromUrl) return typed;
    const use = await ask(() =>
      confirm({ message: `That is a URL: use its host name ${fromUrl}?`, default: true }, ctx),
    );
    if (use) return fromUrl;
  }
}

const SPLIT = '\u0000split';

async function askRoutes(
  name: string,
  current: readonly RouteConfig[] | undefined,
  versions: readonly string[],
  ctx: ReturnType<typeof promptContext>,
): Promise<RouteConfig[]> {
  const choices = versions.map((v) => ({ name: `all traffic to ${v}`, value: v }));
  if (versions.length > 1) choices.push({ name: 'split by weight between versions', value: SPLIT });
  const currentDefault = current && current.length > 1 ? SPLIT : current?.[0]?.subset;
  const target = await ask(() =>
    select<string>({ message: `Route ${name} to`, choices, default: currentDefault ?? versions[0] }, ctx),
  );
  if (target !== SPLIT) return [{ subset: target, weight: 100 }];
  for (;;) {
    const routes: RouteConfig[] = [];
    for (const subset of versions) {
      const weight = await ask(() =>
        number(
          {
            message: `Weight for ${subset} (relative; 0 sends it nothing)`,
            default: current?.find((r) => r.subset === subset)?.weight ?? Math.floor(100 / versions.length),
            required: true,
            validate: (v) => checkWeight(v) ?? true,
          },
          ctx,
        ),
      );
      routes.push({ subset, weight });
    }
    if (routes.some((r) => r.weight > 0)) return routes;
    ctx.output?.write('The weights add up to 0: at least one version must get traffic. Again:\n');
  }
}
