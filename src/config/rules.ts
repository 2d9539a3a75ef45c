// Single-value validators shared by the config schema and the interactive prompts (inline validation).
// Each returns the error text for a person, or undefined when the value is fine. The text starts with the
// offending value so it reads well both after a `path: ` prefix and on its own under a prompt.
import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { hiddenValue, keyLikeKind } from '../secrets/keyLike.js';

/** Longest value echoed in a message; the JSON text of a longer one is cut (after the key-material check). */
const QUOTE_MAX = 80;

/**
 * JSON-quoted and shortened, so odd characters and long values stay readable. A value that could be key material
 * is never echoed, not even in part: the message names what it looked like instead.
 */
export function quote(value: unknown): string {
  if (typeof value === 'string') {
    const kind = keyLikeKind(value);
    if (kind) return hiddenValue(kind);
    // Only the start is ever shown: do not JSON-encode megabytes to print 80 characters.
    if (value.length > QUOTE_MAX * 2) value = value.slice(0, QUOTE_MAX * 2);
  }
  const text = JSON.stringify(value) ?? String(value);
  return text.length > QUOTE_MAX ? `${text.slice(0, QUOTE_MAX - 3)}…"` : text;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

const LABEL_CHARS = "lower-case letters, digits and '-', starting and ending with a letter or digit";

/** DNS-1123 label: version names, subsets, namespaces. */
export function checkDnsLabel(value: string): string | undefined {
  if (value === '') return 'must not be empty';
  if (value.length > 63) return `${quote(value)} is longer than 63 characters`;
  if (!DNS_LABEL.test(value)) return `${quote(value)} is not a valid DNS-1123 label (${LABEL_CHARS})`;
  return undefined;
}

export function checkNamespace(value: string): string | undefined {
  return checkDnsLabel(value);
}

/** DNS-1035 label: Service names must also start with a letter. */
export function checkServiceName(value: string): string | undefined {
  const err = checkDnsLabel(value);
  if (err) return err;
  if (!DNS_1035_LABEL.test(value)) return `${quote(value)} must start with a letter (it names a Service)`;
  return undefined;
}

/** Why a dot-separated DNS name is invalid; labelLimit applies to host names but not to object names. */
function subdomainProblem(value: string, labelLimit: boolean): string | undefined {
  if (value === '') return 'must not be empty';
  if (value.length > 253) return `${quote(value)} is longer than 253 characters`;
  if (/[A-Z]/.test(value)) return `${quote(value)} must be lower-case`;
  for (const label of value.split('.')) {
    if (label === '') return `${quote(value)} has an empty label (a leading, doubled or trailing dot)`;
    if (labelLimit && label.length > 63)
      return `${quote(value)}: label ${quote(label)} is longer than 63 characters`;
    if (!DNS_LABEL.test(label)) {
      return `${quote(value)}: label ${quote(label)} is not valid (${LABEL_CHARS})`;
    }
  }
  return undefined;
}

/** DNS-1123 subdomain: names of most Kubernetes objects (Gateway, Secret, Deployment). */
export function checkObjectName(value: string): string | undefined {
  return subdomainProblem(value, false);
}

/**
 * The Gateway's name: a DNS-1123 label. A dot is legal in a Kubernetes name but not here, because Istio reads a
 * dotted reference in a VirtualService's `gateways` as the legacy `name.namespace` form.
 */
export function checkGatewayName(value: string): string | undefined {
  const dot = value.indexOf('.');
  if (dot > 0 && !subdomainProblem(value, true)) {
    return `${quote(value)} must not contain dots (Istio would read it as Gateway ${quote(value.slice(0, dot))} in namespace ${quote(value.slice(dot + 1).split('.')[0])})`;
  }
  return checkDnsLabel(value);
}

/** A host name for Istio: DNS-1123 subdomain, labels ≤ 63, or a wildcard `*.` as the whole left-most label. */
/** The host part of a pasted URL (`https://Flask.Example1.com/` → flask.example1.com), if `value` is one. */
export function hostFromUrl(value: string): string | undefined {
  const v = value.trim();
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(v) && !/^[^/\s]+\.[^/\s]+\/[^\s]*$/.test(v)) return undefined;
  try {
    const url = new URL(v.includes('://') ? v : `http://${v}`);
    return url.hostname.toLowerCase() || undefined;
  } catch {
    return undefined;
  }
}

export function checkHostName(value: string): string | undefined {
  const fromUrl = hostFromUrl(value);
  if (fromUrl) return `${quote(value)} is a URL, not a host name: the host name is ${quote(fromUrl)}`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range itself
  if (/[^\x00-\x7f]/.test(value)) {
    const ascii = domainToASCII(value);
    const hint = ascii && !checkHostName(ascii) ? ` ${quote(ascii)}` : '';
    return `${quote(value)}: an internationalised name must be written in its ASCII (punycode) form${hint}`;
  }
  const rest = value.startsWith('*.') ? value.slice(2) : value;
  if (value === '*.') return `"*.": a wildcard needs a domain after it, like *.example.com`;
  if (rest.includes('*')) {
    return `${quote(value)}: a wildcard is only allowed as the whole left-most label, like *.example.com`;
  }
  const problem = subdomainProblem(rest, true);
  if (!problem) {
    if (value.length > 253) return `${quote(value)} is longer than 253 characters`;
    // Istio's own rule (an all-numeric top-level label reads as an IP address, which is not a host name).
    const tld = rest.slice(rest.lastIndexOf('.') + 1);
    if (/^[0-9]+$/.test(tld)) {
      return `${quote(value)}: the last label ${quote(tld)} is all digits; Istio rejects that (an IP address is not a host name)`;
    }
    return undefined;
  }
  // Re-quote with the full name so the message names what the person typed.
  return rest === value ? problem : problem.replace(quote(rest), quote(value));
}

/** Kubernetes label key: optional `prefix/` (DNS subdomain ≤ 253) and a name ≤ 63. */
export function checkLabelKey(value: string): string | undefined {
  if (value === '') return 'a label key must not be empty';
  const slash = value.indexOf('/');
  const prefix = slash >= 0 ? value.slice(0, slash) : undefined;
  const name = slash >= 0 ? value.slice(slash + 1) : value;
  if (prefix !== undefined) {
    if (subdomainProblem(prefix, true)) {
      return `label key ${quote(value)}: the prefix ${quote(prefix)} is not a DNS subdomain (${LABEL_CHARS}, separated by dots)`;
    }
  }
  if (name.length > 63) return `label key ${quote(value)}: name part is longer than 63 characters`;
  if (!LABEL_NAME.test(name)) {
    return `label key ${quote(value)} is not valid (optional DNS prefix and '/', then letters, digits, '-', '_', '.', starting and ending with a letter or digit)`;
  }
  return undefined;
}

/** Kubernetes label value: empty, or ≤ 63 of letters, digits, '-', '_', '.', alphanumeric at both ends. */
export function checkLabelValue(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63) return `label value ${quote(value)} is longer than 63 characters`;
  if (!LABEL_NAME.test(value)) {
    return `label value ${quote(value)} is not valid (letters, digits, '-', '_', '.', starting and ending with a letter or digit)`;
  }
  return undefined;
}

// The docker/distribution reference grammar, reduced to what a person types.
const DOMAIN_PART = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = new RegExp(`^(?:${DOMAIN_PART}(?:\\.${DOMAIN_PART})*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?$`);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const IMAGE_FORM = 'expected [registry/]name[:tag][@digest], e.g. python-flask-server:v2';

/** A container image reference as docker, podman and the kubelet accept it. */
export function checkImageRef(value: string): string | undefined {
  if (value === '') return 'must not be empty';
  if (/\s/.test(value)) return `${quote(value)} must not contain spaces (${IMAGE_FORM})`;
  let rest = value;
  const at = rest.indexOf('@');
  if (at >= 0) {
    if (!DIGEST.test(rest.slice(at + 1))) return `${quote(value)} has an invalid digest (${IMAGE_FORM})`;
    rest = rest.slice(0, at);
  }
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    if (!TAG.test(rest.slice(colon + 1))) return `${quote(value)} has an invalid tag (${IMAGE_FORM})`;
    rest = rest.slice(0, colon);
  }
  const parts = rest.split('/');
  const first = parts[0] ?? '';
  const hasDomain = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasDomain) {
    if (!DOMAIN.test(first)) return `${quote(value)} has an invalid registry ${quote(first)} (${IMAGE_FORM})`;
    parts.shift();
  }
  if (rest.length > 255) return `${quote(value)}: the name is longer than 255 characters`;
  for (const part of parts) {
    if (PATH_COMPONENT.test(part)) continue;
    if (PATH_COMPONENT.test(part.toLowerCase()))
      return `${quote(value)}: the repository name must be lower-case`;
    return `${quote(value)} is not a valid image reference (${IMAGE_FORM})`;
  }
  return undefined;
}

/** Whole number in [min, max]. */
export function checkIntRange(value: number, min: number, max: number): string | undefined {
  if (!Number.isInteger(value) || value < min || value > max) {
    return `${quote(value)} must be a whole number from ${min} to ${max}`;
  }
  return undefined;
}

/** Relative route weight: a non-negative whole number (the VirtualService builder turns weights into percents). */
export function checkWeight(value: number): string | undefined {
  if (!Number.isSafeInteger(value) || value < 0) return `${quote(value)} must be a whole number ≥ 0`;
  return undefined;
}

export function checkPort(value: number): string | undefined {
  return checkIntRange(value, 1, 65535);
}

/** An IPv4 or IPv6 address (not a host name: verify connects to exactly this address). */
export function checkIp(value: string): string | undefined {
  if (isIP(value) === 0) return `${quote(value)} is not an IPv4 or IPv6 address`;
  return undefined;
}
