/*
 * Hostile YAML, as an attacker would write it, for the tests of every YAML
 * entry point. Each is small enough to pass the request body limit.
 */

/** "Billion laughs": nine levels of nine aliases each, 9^9 strings once expanded. */
export function billionLaughs(): string {
  const names = 'abcdefghi';
  let text = `${names[0]}: &${names[0]} ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n`;
  for (let i = 1; i < names.length; i++) {
    const prev = `*${names[i - 1]}`;
    text += `${names[i]}: &${names[i]} [${Array(9).fill(prev).join(',')}]\n`;
  }
  return text;
}

/** Thousands of `<<` merge keys, with merges switched on by a YAML 1.1 directive. */
export function thousandsOfMergeKeys(count = 5000): string {
  const maps = Array.from({ length: count }, (_, i) => `- {<<: {x: ${i}}}`);
  return `%YAML 1.1\n---\n${maps.join('\n')}\n`;
}

/** One map with many keys: the `yaml` package checks keys pairwise (37 s for 50,000). */
export function manyKeys(count = 50_000): string {
  const keys = Array.from({ length: count }, (_, i) => `  k${i}: 1`);
  return `apiVersion: v1\nkind: Secret\nmetadata: {name: many}\nstringData:\n${keys.join(
    '\n',
  )}\n`;
}

/** Flow lists nested `depth` deep; the `yaml` package recurses once per level. */
export function deeplyNested(depth = 100_000): string {
  return `apiVersion: v1\nkind: Secret\nmetadata: {name: deep}\ndata: ${'['.repeat(
    depth,
  )}${']'.repeat(depth)}\n`;
}

/** Many tiny documents. */
export function manyDocuments(count = 20_000): string {
  return Array(count).fill('a: 1\n').join('---\n');
}

/** Many aliases of one anchor, each cheap, together a lot of work. */
export function manyAliases(count = 50_000): string {
  return `a: &a x\nb: [${Array(count).fill('*a').join(',')}]\n`;
}
