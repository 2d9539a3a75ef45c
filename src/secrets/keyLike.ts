// The one place that decides whether a value could be key material, and how such a value is named instead of shown.
// Every message that echoes a value a person gave (config fields, file paths, YAML and JSON snippets, kubeconfig
// errors) goes through here: a key pasted into the wrong field, or a path made of a base64 key, must never come back
// out on stderr, not even cut short (the first 77 characters of a SEC1 key are most of its private scalar).

/**
 * Shortest runs that are treated as key material. The smallest private key the wizard could meet is a raw 32-byte
 * scalar (P-256, Ed25519): 44 base64 characters, 64 hex digits; a DER-wrapped Ed25519 key is 64 base64 characters.
 * Host names cannot trip this: dots break a run and a DNS label is at most 63 characters of one case.
 */
const MIN_BASE64_RUN = 40;
const MIN_HEX_RUN = 64;

/** Letters, digits and base64's `+/=` (and the URL-safe `-_`); a path's slashes are part of the run on purpose. */
const BASE64_RUN = new RegExp(`[A-Za-z0-9+/=_-]{${MIN_BASE64_RUN},}`, 'g');
const HEX_RUN = new RegExp(`(?<![A-Za-z0-9:])[0-9a-fA-F]{${MIN_HEX_RUN},}`, 'g');
// A private key's armour (PRIVATE KEY, EC/RSA/OPENSSH PRIVATE KEY, ENCRYPTED PRIVATE KEY); a certificate's is public,
// and its body is caught as a base64 run anyway.
const PEM_ARMOUR = /-{5}(BEGIN|END) [A-Z0-9 ]*KEY[A-Z0-9 ]*-{5}/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: binary (DER) bytes are exactly what this looks for
const BINARY = /[\x00-\x08\x0e-\x1f\x7f\ufffd]/g;

export type KeyLikeKind = 'PEM' | 'base64' | 'hex' | 'binary (DER)';

/**
 * A run that looks random, not like words: all of lower case, upper case and digits, many distinct characters, and
 * both cases common (in random base64 each is about 40% of the characters; in CamelCase words or paths upper case
 * is rare). Slashes are base64 characters too, and path separators: they are left out of the count.
 */
function randomLooking(run: string): boolean {
  const chars = run.replace(/\//g, '');
  if (chars.length < MIN_BASE64_RUN) return false;
  if (![/[a-z]/, /[A-Z]/, /[0-9]/].every((re) => re.test(chars))) return false;
  if (new Set(chars).size < 16) return false;
  const upper = chars.replace(/[^A-Z]/g, '').length;
  const lower = chars.replace(/[^a-z]/g, '').length;
  return upper >= chars.length * 0.2 && lower >= chars.length * 0.2;
}

function randomHex(run: string): boolean {
  return /[0-9]/.test(run) && /[a-f]/i.test(run) && new Set(run.toLowerCase()).size >= 10;
}

/** What kind of key material `value` looks like, or undefined when it looks like ordinary text. */
export function keyLikeKind(value: string): KeyLikeKind | undefined {
  if (PEM_ARMOUR.test(value)) return 'PEM';
  const binary = value.match(BINARY)?.length ?? 0;
  if (binary >= 4 && binary * 20 >= value.length) return 'binary (DER)';
  for (const m of value.matchAll(HEX_RUN)) {
    // An image digest (sha256:…) is public; anything else this long, hex and random-looking is treated as a key.
    if (!randomHex(m[0])) continue;
    if (!/sha(256|384|512):$/i.test(value.slice(Math.max(0, (m.index ?? 0) - 7), m.index))) return 'hex';
  }
  for (const m of value.matchAll(BASE64_RUN)) {
    // A run of hex digits only is judged by the hex rule (an image digest is a public hex run).
    if (/^[0-9a-fA-F]+$/.test(m[0])) continue;
    if (randomLooking(m[0])) return 'base64';
  }
  return undefined;
}

export function looksLikeKeyMaterial(value: unknown): boolean {
  return typeof value === 'string' && keyLikeKind(value) !== undefined;
}

/** What is printed in place of a key-like value: says what it looked like, and that it is not shown. */
export function hiddenValue(kind: KeyLikeKind): string {
  return `(a value that looks like key material (${kind}); not shown)`;
}

/**
 * The value as it may be printed: itself, or the notice above. Use for every value echoed back in a message.
 */
export function shownValue(value: string): string {
  const kind = keyLikeKind(value);
  return kind ? hiddenValue(kind) : value;
}

/**
 * A whole message with every key-like stretch replaced: the last line of defence for text whose parts were not
 * each checked (a library's error message, a JSON parser's snippet of the input).
 */
export function redactText(text: string): string {
  if (keyLikeKind(text) === undefined) return text;
  let out = text.replace(
    /-{5}BEGIN ([A-Z0-9 ]*KEY[A-Z0-9 ]*)-{5}[\s\S]*?(-{5}END \1-{5}|$)/g,
    (_m, label) => `(a PEM ${label} block; not shown)`,
  );
  out = out.replace(new RegExp(PEM_ARMOUR.source, 'g'), '(PEM armour; not shown)');
  out = out.replace(HEX_RUN, (run, offset: number) =>
    !randomHex(run) || /sha(256|384|512):$/i.test(out.slice(Math.max(0, offset - 7), offset))
      ? run
      : hiddenValue('hex'),
  );
  out = out.replace(BASE64_RUN, (run) => (keyLikeKind(run) ? hiddenValue('base64') : run));
  // The text held key material: the short tail lines of a PEM body go too (any mixed-case run of 16 or more).
  out = out.replace(/[A-Za-z0-9+/=_-]{16,}/g, (run) =>
    [/[a-z]/, /[A-Z]/, /[0-9]/].every((re) => re.test(run)) ? hiddenValue('base64') : run,
  );
  if (keyLikeKind(out) === 'binary (DER)') out = out.replace(BINARY, '?');
  return out;
}
