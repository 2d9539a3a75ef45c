// The host loop: add / edit / remove hosts until done. Each host is a name, HTTP or HTTPS (with a TLS mode), and
// a route to one subset or a weighted split. Validation is the config file's, inline: a bad name is asked again.
import { input, number, select } from '@inquirer/prompts';
import { checkHostName, checkWeight } from '../../config/rules.js';
import type { HostConfig, Protocol, RouteConfig, TlsMode } from '../../config/types.js';
import { ask, type PromptIo, promptContext, requireInteractive } from './io.js';

export interface EditHostsOptions {
  io?: PromptIo;
}

type Action = 'add' | 'edit' | 'remove' | 'done';

/** One line per host, for the list above the menu: "split.example.com  HTTPS (SIMPLE)  v1 80%, v2 20%". */
export function describeHost(h: HostConfig): string {
  const proto = h.protocol === 'HTTPS' ? `HTTPS (${h.tls?.mode ?? 'SIMPLE'})` : 'HTTP';
  const total = h.routes.reduce((sum, r) => sum + r.weight, 0);
  const routes =
    h.routes.length === 1
      ? `→ ${h.routes[0]?.subset}`
      : `→ ${h.routes.map((r) => `${r.subset} ${total ? Math.round((r.weight * 100) / total) : 0}%`).join(', ')}`;
  return `${h.name}  ${proto}  ${routes}`;
}

export async function editHosts(
  hosts: readonly HostConfig[],
  versions: readonly string[],
  opts: EditHostsOptions = {},
): Promise<HostConfig[]> {
  const io = opts.io ?? {};
  requireInteractive(io, ['hosts']);
  const ctx = promptContext(io);
  const list = structuredClone([...hosts]) as HostConfig[];

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
  const name = (
    await ask(() =>
      input(
        {
          message: 'Host name (e.g. app.example.com or *.example.com)',
          default: current?.name,
          validate: (raw) => {
            const v = raw.trim();
            return checkHostName(v) ?? (others.includes(v) ? `"${v}" is already in the list` : true);
          },
        },
        ctx,
      ),
    )
  ).trim();
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
