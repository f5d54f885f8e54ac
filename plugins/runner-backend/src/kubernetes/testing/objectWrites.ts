import crypto from 'node:crypto';
import type { GatewayFinding } from '@internal/plugin-runner-common';
import type { CrdRegistry } from '../../gateway/validation/CrdRegistry';
import type { ObjectValidator } from '../../gateway/validation/ObjectValidator';
import { pruneAndDefault } from '../../gateway/validation/structural';
import { cloneJson } from '../../gateway/validation/schemaWalk';
import type { ObjectStore, StoredObject } from './ObjectStore';
import {
  BUILTIN_TYPES,
  apiVersionOf,
  typeKey,
  type ResourceType,
} from './resourceTypes';
import { statusErrors, successStatus } from './status';

/*
 * What the API server does to an object on create, update, patch and delete:
 * identity checks against the URL, ObjectMeta bookkeeping (uid,
 * creationTimestamp, resourceVersion, generation), the status subresource
 * split, Secret stringData folding, CRD validation (the phase-1 validator:
 * ObjectMeta, OpenAPI schema, CEL) with pruning and defaulting, optimistic
 * concurrency, and dryRun=All.
 */

const NAMESPACES = BUILTIN_TYPES.find(t => t.plural === 'namespaces')!;

export interface WriteTarget {
  type: ResourceType;
  version: string;
  namespace?: string;
  name?: string;
  subresource?: 'status';
}

export interface WriteOutcome {
  code: number;
  body: unknown;
  /** `Warning` response headers (unknown fields that were pruned). */
  warnings: string[];
}

export interface ObjectWriterDeps {
  store: ObjectStore;
  registry(): CrdRegistry;
  validator(): ObjectValidator;
}

function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** JSON with sorted keys, to compare objects whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}

function specOf(object: Record<string, unknown>): string {
  const { metadata: _m, status: _s, ...rest } = object;
  return canonical(rest);
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class ObjectWriter {
  constructor(private readonly deps: ObjectWriterDeps) {}

  create(target: WriteTarget, body: unknown, dryRun: boolean): WriteOutcome {
    const { type } = target;
    const incoming = this.#checkIdentity(target, body);
    if (incoming.metadata.resourceVersion) {
      throw statusErrors.badRequest(
        'resourceVersion should not be set on objects to be created',
      );
    }
    const { name } = incoming.metadata;
    if (this.deps.store.get(typeKey(type), target.namespace, name ?? '')) {
      throw statusErrors.alreadyExists(type, name);
    }
    const warnings = this.#validate(target, incoming);
    const object = this.#finalize(target, incoming, undefined);
    if (dryRun)
      return { code: 201, body: this.#served(target, object), warnings };
    const stored = this.deps.store.write(typeKey(type), object);
    return { code: 201, body: this.#served(target, stored), warnings };
  }

  replace(target: WriteTarget, body: unknown, dryRun: boolean): WriteOutcome {
    const { type } = target;
    const incoming = this.#checkIdentity(target, body);
    if (incoming.metadata.name !== target.name) {
      throw statusErrors.badRequest(
        `the name of the object (${incoming.metadata.name}) does not match the name on the URL (${target.name})`,
      );
    }
    const current = this.deps.store.get(
      typeKey(type),
      target.namespace,
      target.name!,
    );
    if (!current) throw statusErrors.notFound(type, target.name!);
    const requested = incoming.metadata.resourceVersion;
    if (!requested && type.custom) {
      throw statusErrors.invalid(type, this.#ref(target, incoming), [
        {
          path: 'metadata.resourceVersion',
          message: 'Invalid value: 0x0: must be specified for an update',
          severity: 'error',
          source: 'schema',
        },
      ]);
    }
    if (requested && requested !== current.metadata.resourceVersion) {
      throw statusErrors.conflict(type, target.name!);
    }
    const proposed = this.#merged(target, incoming, current);
    const warnings = this.#validate(target, proposed, current);
    const object = this.#finalize(target, proposed, current);
    if (canonical(object) === canonical(current)) {
      // An update that changes nothing keeps the resourceVersion and sends no event.
      return { code: 200, body: this.#served(target, current), warnings };
    }
    if (dryRun)
      return { code: 200, body: this.#served(target, object), warnings };
    const stored = this.deps.store.write(typeKey(type), object);
    return { code: 200, body: this.#served(target, stored), warnings };
  }

  /** JSON merge patch (RFC 7386); a resourceVersion in the patch is a precondition. */
  mergePatch(
    target: WriteTarget,
    patch: unknown,
    dryRun: boolean,
  ): WriteOutcome {
    const current = this.deps.store.get(
      typeKey(target.type),
      target.namespace,
      target.name!,
    );
    if (!current) throw statusErrors.notFound(target.type, target.name!);
    if (!isObject(patch)) {
      throw statusErrors.badRequest('the patch must be a JSON object');
    }
    const patched = applyMergePatch(
      this.#served(target, current),
      patch,
    ) as StoredObject;
    if (!patch.metadata?.resourceVersion) {
      patched.metadata.resourceVersion = current.metadata.resourceVersion;
    }
    return this.replace(target, patched, dryRun);
  }

  remove(target: WriteTarget, dryRun: boolean): WriteOutcome {
    const { type } = target;
    const current = this.deps.store.get(
      typeKey(type),
      target.namespace,
      target.name!,
    );
    if (!current) throw statusErrors.notFound(type, target.name!);
    const removed = dryRun
      ? current
      : this.deps.store.remove(typeKey(type), target.namespace, target.name!)!;
    // Custom resources answer with the object, built-in ones with a Status.
    const body = type.custom
      ? this.#served(target, removed)
      : successStatus(type, target.name!, current.metadata.uid);
    return { code: 200, body, warnings: [] };
  }

  #ref(target: WriteTarget, object: StoredObject) {
    return {
      apiVersion: apiVersionOf(target.type.group, target.version),
      kind: target.type.kind,
      name: object.metadata.name ?? '',
    };
  }

  #checkIdentity(target: WriteTarget, body: unknown): StoredObject {
    const { type, version } = target;
    if (!isObject(body)) {
      throw statusErrors.badRequest('the request body must be a JSON object');
    }
    const apiVersion = apiVersionOf(type.group, version);
    if (body.kind === undefined || body.kind === '') {
      throw statusErrors.badRequest(
        `Object 'Kind' is missing in '${JSON.stringify(body).slice(0, 200)}'`,
      );
    }
    if (body.apiVersion !== apiVersion) {
      throw statusErrors.badRequest(
        `the API version in the data (${body.apiVersion}) does not match the expected API version (${apiVersion})`,
      );
    }
    if (body.kind !== type.kind) {
      throw statusErrors.badRequest(
        `the kind in the data (${body.kind}) does not match the expected kind (${type.kind})`,
      );
    }
    const metadata = isObject(body.metadata) ? { ...body.metadata } : {};
    if (type.namespaced) {
      if (metadata.namespace && metadata.namespace !== target.namespace) {
        throw statusErrors.badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      metadata.namespace = target.namespace;
      if (
        !this.deps.store.get(typeKey(NAMESPACES), undefined, target.namespace!)
      ) {
        throw statusErrors.notFound(NAMESPACES, target.namespace!);
      }
    } else {
      delete metadata.namespace;
    }
    return cloneJson({ ...body, metadata }) as StoredObject;
  }

  /** The object an update proposes: on a status subresource only status changes, elsewhere everything but status. */
  #merged(
    target: WriteTarget,
    incoming: StoredObject,
    current: StoredObject,
  ): StoredObject {
    const split = target.type.statusSubresource.has(target.version);
    if (target.subresource === 'status') {
      return {
        ...cloneJson(current),
        apiVersion: incoming.apiVersion,
        status: incoming.status,
      };
    }
    const proposed = cloneJson(incoming);
    if (split) {
      if (current.status === undefined) delete proposed.status;
      else proposed.status = cloneJson(current.status);
    }
    return proposed;
  }

  #validate(
    target: WriteTarget,
    object: StoredObject,
    old?: StoredObject,
  ): string[] {
    const { type } = target;
    const findings: GatewayFinding[] = [];
    if (type.custom || type.kind === 'Secret') {
      findings.push(
        ...this.deps
          .validator()
          .validate(object, old ? { oldObject: old } : {}),
      );
    } else if (!object.metadata.name) {
      findings.push({
        path: 'metadata.name',
        message: 'Required value: name or generateName is required',
        severity: 'error',
        source: 'schema',
      });
    }
    if (findings.some(f => f.severity === 'error')) {
      throw statusErrors.invalid(type, this.#ref(target, object), findings);
    }
    return findings
      .filter(f => f.severity === 'warning')
      .map(f => `299 - ${JSON.stringify(f.message)}`);
  }

  /** Server-owned metadata, Secret folding, pruning and defaulting; the result is what gets stored. */
  #finalize(
    target: WriteTarget,
    proposed: StoredObject,
    current: StoredObject | undefined,
  ): StoredObject {
    const { type } = target;
    let object: StoredObject = cloneJson(proposed);
    if (type.custom) {
      const crd = this.deps.registry().get(object.apiVersion, object.kind);
      if (crd)
        object = pruneAndDefault(crd.schema, object).object as StoredObject;
    }
    if (!current && type.statusSubresource.has(target.version))
      delete object.status;
    if (type.kind === 'Secret') {
      const data: Record<string, string> = { ...(object.data ?? {}) };
      for (const [key, value] of Object.entries(object.stringData ?? {})) {
        data[key] = Buffer.from(String(value), 'utf8').toString('base64');
      }
      delete object.stringData;
      object.data = data;
      object.type = object.type ?? 'Opaque';
    }
    const metadata: Record<string, any> = {
      ...object.metadata,
      uid: current?.metadata.uid ?? crypto.randomUUID(),
      creationTimestamp: current?.metadata.creationTimestamp ?? now(),
    };
    delete metadata.resourceVersion;
    if (type.generation) {
      const changed = !current || specOf(current) !== specOf(object);
      metadata.generation = current
        ? (current.metadata.generation ?? 1) + (changed ? 1 : 0)
        : 1;
    } else {
      delete metadata.generation;
    }
    object.metadata = metadata as StoredObject['metadata'];
    if (current)
      object.metadata.resourceVersion = current.metadata.resourceVersion;
    return object;
  }

  /** A stored object as read through `target.version` (conversion strategy None). */
  #served(target: WriteTarget, object: StoredObject): StoredObject {
    return {
      ...object,
      apiVersion: apiVersionOf(target.type.group, target.version),
    };
  }
}

/** RFC 7386: null removes, objects merge, anything else replaces. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return cloneJson(patch);
  const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}
