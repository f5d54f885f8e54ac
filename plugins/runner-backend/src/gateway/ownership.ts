import crypto from 'node:crypto';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { GATEWAY_OWNERSHIP } from '@internal/plugin-runner-common';

/*
 * Every object the plugin writes names its owning entity twice: the exact ref
 * in an annotation, and a label-safe form in a label so that an entity's
 * objects can be listed with a label selector. Label values are at most 63
 * characters of [A-Za-z0-9-_.], so the label is a readable prefix plus a
 * short hash of the (case-insensitive) ref, which keeps it unique.
 */

const LABEL_MAX = 63;
const HASH_LENGTH = 10;

/** `kind:namespace/name`, with defaults filled in; InputError when it is not an entity ref. */
export function normalizeEntityRef(entityRef: string): string {
  try {
    return stringifyEntityRef(parseEntityRef(entityRef));
  } catch (error) {
    throw new InputError(
      `Invalid entity ref '${entityRef}': ${(error as Error).message}`,
    );
  }
}

/** The `runner.backstage.io/entity` label value for an entity ref. */
export function entityLabelValue(entityRef: string): string {
  const ref = normalizeEntityRef(entityRef).toLocaleLowerCase('en-US');
  const hash = crypto
    .createHash('sha256')
    .update(ref)
    .digest('hex')
    .slice(0, HASH_LENGTH);
  const readable = ref
    .replace(/[^a-z0-9_.-]+/g, '.')
    .slice(0, LABEL_MAX - HASH_LENGTH - 1)
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return readable ? `${readable}-${hash}` : hash;
}

/** Label selector listing an entity's objects. */
export function entityLabelSelector(entityRef: string): string {
  return `${GATEWAY_OWNERSHIP.managedByLabel}=${
    GATEWAY_OWNERSHIP.managedByValue
  },${GATEWAY_OWNERSHIP.entityLabel}=${entityLabelValue(entityRef)}`;
}

export function ownershipLabels(entityRef: string): Record<string, string> {
  return {
    [GATEWAY_OWNERSHIP.managedByLabel]: GATEWAY_OWNERSHIP.managedByValue,
    [GATEWAY_OWNERSHIP.entityLabel]: entityLabelValue(entityRef),
  };
}

export function ownershipAnnotations(
  entityRef: string,
  template: string,
): Record<string, string> {
  return {
    [GATEWAY_OWNERSHIP.entityRefAnnotation]: normalizeEntityRef(entityRef),
    [GATEWAY_OWNERSHIP.templateAnnotation]: template,
  };
}

/** Whether an object carries this plugin's ownership marks for the entity. */
export function isOwnedBy(
  metadata:
    | { labels?: Record<string, string>; annotations?: Record<string, string> }
    | undefined,
  entityRef: string,
): boolean {
  const labels = metadata?.labels ?? {};
  const annotations = metadata?.annotations ?? {};
  return (
    labels[GATEWAY_OWNERSHIP.managedByLabel] ===
      GATEWAY_OWNERSHIP.managedByValue &&
    labels[GATEWAY_OWNERSHIP.entityLabel] === entityLabelValue(entityRef) &&
    annotations[GATEWAY_OWNERSHIP.entityRefAnnotation]?.toLocaleLowerCase(
      'en-US',
    ) === normalizeEntityRef(entityRef).toLocaleLowerCase('en-US')
  );
}
