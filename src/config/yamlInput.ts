// What the YAML text may hold before it becomes a value: a nesting depth any config stays far below (a deeply
// nested file exhausts the parser's stack or memory, so it is measured on the text, before parsing), and only the
// plain YAML types (a custom tag like `!foo` would otherwise be dropped in silence, `!!binary` turned into bytes).
import { type Document, isAlias, isCollection, isPair, isScalar, type LineCounter, type Node } from 'yaml';

/** A real config nests 6 levels deep (hosts[].routes[].weight); this leaves room and stays far from the stack. */
export const MAX_DEPTH = 64;

const PLAIN_TAGS = new Set(
  ['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`),
);

/** What a standard tag the wizard does not take means, for the message. */
const TAG_MEANING: Record<string, string> = {
  'tag:yaml.org,2002:binary': 'binary data (base64 bytes), where the config takes text',
  'tag:yaml.org,2002:timestamp': 'a timestamp',
  'tag:yaml.org,2002:set': 'a set',
  'tag:yaml.org,2002:omap': 'an ordered map',
  'tag:yaml.org,2002:pairs': 'a list of pairs',
};

function shortTag(tag: string): string {
  return tag.startsWith('tag:yaml.org,2002:') ? `!!${tag.slice('tag:yaml.org,2002:'.length)}` : tag;
}

/**
 * The first line where the text nests deeper than MAX_DEPTH, counting flow brackets and block indentation (and
 * compact `- - ` items) outside quotes and comments; undefined when it does not. Linear in the text.
 */
export function tooDeepLine(text: string): number | undefined {
  let flow = 0;
  const indents: number[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    // Start of a line: block structure (only outside flow collections).
    let col = 0;
    while (i < n && text[i] === ' ') {
      i++;
      col++;
    }
    let lineDepth = 0;
    if (flow === 0 && i < n && text[i] !== '\n' && text[i] !== '#') {
      while (indents.length && (indents[indents.length - 1] as number) >= col) indents.pop();
      indents.push(col);
      // `- - - x`: every dash opens a sequence on the same line.
      while (i < n && text[i] === '-' && (text[i + 1] === ' ' || text[i + 1] === '\n')) {
        lineDepth++;
        i += 2;
      }
    }
    // Rest of the line: flow brackets outside quotes and comments.
    let quote: string | undefined;
    while (i < n && text[i] !== '\n') {
      const c = text[i] as string;
      if (quote) {
        if (c === quote) quote = undefined;
        else if (c === '\\' && quote === '"') i++;
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '#' && (i === 0 || /\s/.test(text[i - 1] as string))) {
        while (i < n && text[i] !== '\n') i++;
        break;
      } else if (c === '[' || c === '{') flow++;
      else if ((c === ']' || c === '}') && flow > 0) flow--;
      if (indents.length + lineDepth + flow > MAX_DEPTH) return line;
      i++;
    }
    if (indents.length + lineDepth + flow > MAX_DEPTH) return line;
    i++;
    line++;
  }
  return undefined;
}

/** Every tag other than the plain types, as `line L, column C: …` issues. Walks the document without recursion. */
export function tagIssues(doc: Document, lines: LineCounter, text: string): string[] {
  const issues: string[] = [];
  const stack: unknown[] = [doc.contents];
  while (stack.length) {
    const node = stack.pop();
    if (!node || isAlias(node)) continue;
    if (isPair(node)) {
      stack.push(node.value, node.key);
      continue;
    }
    const tag = (node as Node).tag;
    if ((isScalar(node) || isCollection(node)) && tag && !PLAIN_TAGS.has(tag)) {
      // The node's range starts at its value: point at the tag written before it, when it is on the way there.
      const at = (node as Node).range?.[0] ?? 0;
      const written = text.lastIndexOf(shortTag(tag), at);
      const pos = lines.linePos(written >= 0 && !text.slice(written, at).includes('\n') ? written : at);
      const meaning = TAG_MEANING[tag];
      issues.push(
        `line ${pos.line}, column ${pos.col}: ${meaning ? `${shortTag(tag)} is ${meaning}` : `unknown tag ${shortTag(tag)}`}; ` +
          'the config takes plain YAML values (strings, numbers, true/false, lists, mappings): remove the tag',
      );
    }
    if (isCollection(node)) for (let k = node.items.length - 1; k >= 0; k--) stack.push(node.items[k]);
  }
  return issues;
}
