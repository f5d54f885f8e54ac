import { LineCounter, Parser, type CST } from 'yaml';

/*
 * Limits on the YAML a caller sends (import, validate, diff, export of a
 * proposal), checked on the parser's concrete syntax tree before anything
 * is composed: composing is where hostile YAML costs. The `yaml` package
 * checks map keys for uniqueness pairwise (50,000 keys in one map take 37 s),
 * recurses once per nesting level, and only stops alias expansion ("billion
 * laughs") by throwing. The CST comes from an iterative parser and is walked
 * here without recursion, so each limit is found in one linear pass.
 *
 * A bundle is at most seven small objects and an entity's export a few
 * bundles: each limit is far above what real gateway YAML needs.
 */

export const YAML_LIMITS = {
  /** UTF-8 bytes of the whole text. */
  maxBytes: 1024 * 1024,
  /** Documents (objects) in one text. */
  maxDocuments: 100,
  /** Alias nodes (`*name`) in one text; each may expand to a whole subtree. */
  maxAliases: 100,
  /** How far `toJS` may expand aliases (the `yaml` package's maxAliasCount). */
  maxAliasExpansion: 100,
  /** Nested maps and lists. Gateway objects nest about 10 levels deep. */
  maxDepth: 64,
  /** Keys in one map (a Secret's keys, labels, annotations). */
  maxKeysPerMap: 512,
  /** `<<` merge keys in one text. */
  maxMergeKeys: 100,
} as const;

export type YamlLimit = keyof typeof YAML_LIMITS;

/** A limit the text goes past, where it first does. */
export interface YamlLimitBreach {
  limit: YamlLimit;
  /** What the text has, e.g. `600 keys in one map`. */
  found: string;
  /** Byte offset where the breach was found, when there is one. */
  offset?: number;
  message: string;
}

const WHAT: Record<YamlLimit, (n: number) => string> = {
  maxBytes: n => `${n} bytes`,
  maxDocuments: n => `${n} documents`,
  maxAliases: n => `${n} aliases`,
  maxAliasExpansion: n => `aliases that expand more than ${n} times`,
  maxDepth: n => `maps and lists nested ${n} deep`,
  maxKeysPerMap: n => `${n} keys in one map`,
  maxMergeKeys: n => `${n} merge keys (<<)`,
};

/** The finding text for a breach: what the text has, and the limit by name. */
export function describeBreach(
  limit: YamlLimit,
  found: number,
  offset?: number,
  lineCounter?: LineCounter,
): YamlLimitBreach {
  const where =
    offset !== undefined && lineCounter
      ? ` (line ${lineCounter.linePos(offset).line})`
      : '';
  const max = YAML_LIMITS[limit];
  const what =
    limit === 'maxAliasExpansion'
      ? WHAT.maxAliasExpansion(max)
      : `${WHAT[limit](found)}${where}`;
  const allowed =
    limit === 'maxAliasExpansion'
      ? 'aliases may not expand the YAML into more than a few copies'
      : `the limit is ${WHAT[limit](max)}`;
  return {
    limit,
    found: what,
    offset,
    message: `Too large: the YAML has ${what}; ${allowed} (${limit}). Send less, or split it into several requests`,
  };
}

type Node = CST.Token | CST.CollectionItem['key'] | undefined | null;

/** The children of a CST node: what a collection or document holds. */
function children(node: CST.Token): Array<CST.Token> {
  const out: CST.Token[] = [];
  const add = (t: Node) => {
    if (t && typeof t === 'object') out.push(t as CST.Token);
  };
  switch (node.type) {
    case 'document':
      add(node.value);
      break;
    case 'block-map':
    case 'block-seq':
    case 'flow-collection':
      for (const item of node.items) {
        add((item as CST.CollectionItem).key);
        add(item.value);
      }
      break;
    default:
      break;
  }
  return out;
}

function isMergeKey(key: Node): boolean {
  return (
    !!key &&
    typeof key === 'object' &&
    (key as CST.Token).type === 'scalar' &&
    (key as CST.FlowScalar).source === '<<'
  );
}

function keyCount(node: CST.Token): number | undefined {
  if (node.type === 'block-map') return node.items.length;
  if (node.type === 'flow-collection' && node.start.source === '{') {
    return node.items.length;
  }
  return undefined;
}

/**
 * The first limit the text goes past, or undefined. Linear in the text; no
 * recursion, whatever the nesting.
 */
export function findYamlLimitBreach(
  text: string,
  lineCounter = new LineCounter(),
): YamlLimitBreach | undefined {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > YAML_LIMITS.maxBytes) return describeBreach('maxBytes', bytes);
  let documents = 0;
  let aliases = 0;
  let merges = 0;
  const parser = new Parser(lineCounter.addNewLine);
  for (const token of parser.parse(text)) {
    if (token.type !== 'document') continue;
    documents += 1;
    if (documents > YAML_LIMITS.maxDocuments) {
      return describeBreach(
        'maxDocuments',
        documents,
        token.offset,
        lineCounter,
      );
    }
    const stack: Array<{ node: CST.Token; depth: number }> = [
      { node: token, depth: 0 },
    ];
    while (stack.length > 0) {
      const { node, depth } = stack.pop()!;
      if (node.type === 'alias') {
        aliases += 1;
        if (aliases > YAML_LIMITS.maxAliases) {
          return describeBreach(
            'maxAliases',
            aliases,
            node.offset,
            lineCounter,
          );
        }
      }
      const keys = keyCount(node);
      if (keys !== undefined && keys > YAML_LIMITS.maxKeysPerMap) {
        return describeBreach('maxKeysPerMap', keys, node.offset, lineCounter);
      }
      const nested =
        node.type === 'block-map' ||
        node.type === 'block-seq' ||
        node.type === 'flow-collection';
      const childDepth = nested ? depth + 1 : depth;
      if (childDepth > YAML_LIMITS.maxDepth) {
        return describeBreach('maxDepth', childDepth, node.offset, lineCounter);
      }
      if (nested) {
        for (const item of node.items) {
          if (isMergeKey((item as CST.CollectionItem).key)) merges += 1;
        }
        if (merges > YAML_LIMITS.maxMergeKeys) {
          return describeBreach(
            'maxMergeKeys',
            merges,
            node.offset,
            lineCounter,
          );
        }
      }
      for (const child of children(node)) {
        stack.push({ node: child, depth: childDepth });
      }
    }
  }
  return undefined;
}

/** True for the error `yaml`'s toJS throws when aliases expand past maxAliasCount. */
export function isAliasExpansionError(error: unknown): boolean {
  return (
    error instanceof ReferenceError &&
    /Excessive alias count/.test(error.message)
  );
}

/**
 * A 400 for YAML past a limit: the message names the limit, the finding says
 * where. Nothing was parsed further, so nothing was changed.
 */
export class YamlLimitError extends Error {
  readonly name = 'GatewayYamlLimitError';
  readonly statusCode = 400;
  constructor(
    readonly breach: YamlLimitBreach,
    readonly findings: Array<{
      path: string;
      message: string;
      severity: 'error';
      source: 'yaml';
      line?: number;
    }>,
  ) {
    super(`${breach.message}; nothing was changed`);
  }
}
