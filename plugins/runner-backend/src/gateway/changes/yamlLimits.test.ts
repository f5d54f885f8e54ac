import {
  billionLaughs,
  deeplyNested,
  manyAliases,
  manyDocuments,
  manyKeys,
  thousandsOfMergeKeys,
} from './hostileYaml';
import { parseYamlDocuments } from './yamlIO';
import { findYamlLimitBreach, YAML_LIMITS, YamlLimitError } from './yamlLimits';

function refusal(text: string): YamlLimitError {
  try {
    parseYamlDocuments(text);
  } catch (error) {
    if (error instanceof YamlLimitError) return error;
    throw error;
  }
  throw new Error('the YAML was accepted');
}

describe('YAML limits', () => {
  it.each([
    ['billion laughs', billionLaughs(), 'maxAliasExpansion'],
    ['thousands of merge keys', thousandsOfMergeKeys(), 'maxMergeKeys'],
    ['50,000 keys in one map', manyKeys(), 'maxKeysPerMap'],
    ['lists nested 100,000 deep', deeplyNested(), 'maxDepth'],
    ['20,000 documents', manyDocuments(), 'maxDocuments'],
    ['50,000 aliases', manyAliases(), 'maxAliases'],
    ['more than 1 MiB', `a: "${'x'.repeat(1024 * 1024)}"\n`, 'maxBytes'],
  ])('refuses %s quickly, naming the limit', (_, text, limit) => {
    const started = Date.now();
    const error = refusal(text);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(error.statusCode).toBe(400);
    expect(error.breach.limit).toBe(limit);
    expect(error.message).toContain(`(${limit})`);
    expect(error.message).toMatch(
      /^Too large: the YAML has .*; nothing was changed$/,
    );
    expect(error.findings).toEqual([
      expect.objectContaining({ source: 'yaml', severity: 'error' }),
    ]);
  });

  it('says where and by how much', () => {
    expect(refusal(manyKeys(600)).message).toBe(
      'Too large: the YAML has 600 keys in one map (line 5); the limit is 512 keys in one map (maxKeysPerMap). Send less, or split it into several requests; nothing was changed',
    );
    expect(refusal(deeplyNested(65)).findings[0].line).toBe(4);
  });

  it('accepts what real gateway YAML needs, right up to each limit', () => {
    expect(findYamlLimitBreach(manyKeys(YAML_LIMITS.maxKeysPerMap - 4))).toBe(
      undefined,
    );
    expect(findYamlLimitBreach(deeplyNested(YAML_LIMITS.maxDepth - 1))).toBe(
      undefined,
    );
    expect(findYamlLimitBreach(manyDocuments(YAML_LIMITS.maxDocuments))).toBe(
      undefined,
    );
    expect(findYamlLimitBreach(manyAliases(YAML_LIMITS.maxAliases))).toBe(
      undefined,
    );
    // Anchors and a few aliases (kubectl users write them) still parse.
    const { docs, findings } = parseYamlDocuments(
      'a: &labels {app: web}\nb: *labels\n',
    );
    expect(findings).toEqual([]);
    expect(docs[0].value).toEqual({ a: { app: 'web' }, b: { app: 'web' } });
  });
});
