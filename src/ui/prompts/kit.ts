// The four prompt kinds the wizard uses (input, number, confirm, select), with the @inquirer/prompts signatures.
// On a terminal that cannot move the cursor (TERM=dumb: Emacs shell, some serial consoles) @inquirer's redraws
// would print garbage, so there each question is one plain line read back with node:readline: the choices are
// numbered, Enter keeps the default, a bad answer prints why and asks again.
import { createInterface } from 'node:readline';
import * as inquirer from '@inquirer/prompts';
import type { Context } from '@inquirer/type';

/** @inquirer's context plus the choice of plain line prompts (default: TERM=dumb). */
export type PromptContext = Context & { plain?: boolean };

type Validate<T> = (value: T) => boolean | string | Promise<boolean | string>;

export interface InputConfig {
  message: string;
  default?: string;
  validate?: Validate<string>;
}
export interface NumberConfig {
  message: string;
  default?: number;
  required?: boolean;
  validate?: Validate<number | undefined>;
}
export interface ConfirmConfig {
  message: string;
  default?: boolean;
}
export interface Choice<T> {
  name: string;
  value: T;
  description?: string;
  disabled?: boolean | string;
}
export interface SelectConfig<T> {
  message: string;
  choices: readonly Choice<T>[];
  default?: T;
  pageSize?: number;
}

export function wantsPlainPrompts(ctx: PromptContext = {}, env = process.env): boolean {
  return ctx.plain ?? env.TERM === 'dumb';
}

const inquirerContext = ({ plain: _plain, ...ctx }: PromptContext): Context => ctx;

export function input(config: InputConfig, ctx: PromptContext = {}): Promise<string> {
  if (!wantsPlainPrompts(ctx)) return inquirer.input(config, inquirerContext(ctx));
  return askLine<string>(
    ctx,
    `${config.message}${config.default ? ` (${config.default})` : ''}: `,
    async (line) => {
      const value = line === '' ? (config.default ?? '') : line;
      const ok = config.validate ? await config.validate(value) : true;
      return ok === true ? { value } : { error: ok === false ? 'not a valid answer' : ok };
    },
  );
}

export function number(
  config: Omit<NumberConfig, 'validate'> & { required: true; validate?: Validate<number> },
  ctx?: PromptContext,
): Promise<number>;
export function number(config: NumberConfig, ctx?: PromptContext): Promise<number | undefined>;
// biome-ignore lint/suspicious/noExplicitAny: the implementation behind the two typed overloads
export function number(config: any, ctx: PromptContext = {}): Promise<number | undefined> {
  if (!wantsPlainPrompts(ctx)) return inquirer.number(config, inquirerContext(ctx));
  const def = config.default === undefined ? '' : ` (${config.default})`;
  return askLine<number | undefined>(ctx, `${config.message}${def}: `, async (line) => {
    const value = line === '' ? config.default : Number(line);
    if (value === undefined && config.required) return { error: 'an answer is required' };
    if (value !== undefined && !Number.isFinite(value)) return { error: `"${line}" is not a number` };
    const ok = config.validate ? await config.validate(value) : true;
    return ok === true ? { value } : { error: ok === false ? 'not a valid answer' : ok };
  });
}

export function confirm(config: ConfirmConfig, ctx: PromptContext = {}): Promise<boolean> {
  if (!wantsPlainPrompts(ctx)) return inquirer.confirm(config, inquirerContext(ctx));
  const def = config.default ?? true;
  return askLine<boolean>(ctx, `${config.message} (${def ? 'Y/n' : 'y/N'}): `, async (line) => {
    if (line === '') return { value: def };
    if (/^y(es)?$/i.test(line)) return { value: true };
    if (/^no?$/i.test(line)) return { value: false };
    return { error: 'answer y or n' };
  });
}

export function select<T>(config: SelectConfig<T>, ctx: PromptContext = {}): Promise<T> {
  if (!wantsPlainPrompts(ctx)) {
    return inquirer.select<T>(
      { ...config, choices: config.choices as Choice<T>[] },
      inquirerContext(ctx),
    ) as Promise<T>;
  }
  const out = ctx.output ?? process.stderr;
  const enabled = (c: Choice<T>) => !c.disabled;
  const defIndex = Math.max(
    0,
    config.choices.findIndex((c) => enabled(c) && c.value === config.default),
    config.default === undefined ? config.choices.findIndex(enabled) : -1,
  );
  const lines = config.choices.map((c, i) => {
    const off = c.disabled
      ? ` (${typeof c.disabled === 'string' ? c.disabled.replace(/^\(|\)$/g, '') : 'not available'})`
      : '';
    const about = c.description && !c.disabled ? ` - ${c.description}` : '';
    return `  ${i + 1}) ${c.name}${off}${about}`;
  });
  out.write(`? ${config.message}\n${lines.join('\n')}\n`);
  return askLine<T>(ctx, `  choose 1-${config.choices.length} (${defIndex + 1}): `, async (line) => {
    const n = line === '' ? defIndex + 1 : Number(line);
    const choice = Number.isInteger(n) ? config.choices[n - 1] : undefined;
    if (!choice) return { error: `type a number from 1 to ${config.choices.length}` };
    if (!enabled(choice)) return { error: `"${choice.name}" is not available now` };
    return { value: choice.value };
  });
}

/** Asks `question` until `parse` accepts the line. Ctrl-D / an aborted signal end it like @inquirer's prompts do. */
function askLine<T>(
  ctx: PromptContext,
  question: string,
  parse: (line: string) => Promise<{ value: T } | { error: string }>,
): Promise<T> {
  const out = ctx.output ?? process.stderr;
  const rl = createInterface({ input: ctx.input ?? process.stdin, terminal: false });
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const end = (fn: () => void) => {
      if (settled) return;
      settled = true;
      ctx.signal?.removeEventListener('abort', onAbort);
      rl.close();
      fn();
    };
    const named = (name: string, message: string) => Object.assign(new Error(message), { name });
    const onAbort = () => end(() => reject(named('AbortPromptError', 'Prompt was aborted')));
    if (ctx.signal?.aborted) return onAbort();
    ctx.signal?.addEventListener('abort', onAbort, { once: true });
    rl.on('close', () => end(() => reject(named('ExitPromptError', 'input ended'))));
    out.write(question);
    rl.on('line', (raw) => {
      void parse(raw.trim()).then((r) => {
        if ('value' in r) {
          end(() => resolve(r.value));
          return;
        }
        out.write(`  ! ${r.error}\n${question}`);
      });
    });
  });
}
