import type { Knex } from 'knex';
import type { GatewayRevision } from '@internal/plugin-runner-common';
import { redactObject, type KubernetesObject } from '../bundle';

/*
 * The revision history of gateway bundles in the plugin database
 * (`gateway_revisions`). Every object is redacted on the way in, so however
 * a caller slips, no secret value is ever stored: Secrets keep their key
 * names ("set" / "not set") only.
 */

export interface NewRevision {
  entityRef: string;
  bundle: string;
  action: GatewayRevision['action'];
  template: string;
  cluster: string;
  objects: KubernetesObject[];
  actor?: string;
}

type Row = Record<string, any>;

function toIso(value: unknown): string {
  const date =
    value instanceof Date ? value : new Date(value as string | number);
  return date.toISOString();
}

function toRevision(row: Row): GatewayRevision {
  return {
    id: Number(row.id),
    entityRef: row.entity_ref,
    bundle: row.bundle_name,
    revision: Number(row.revision),
    action: row.action,
    template: row.template,
    cluster: row.cluster,
    objects:
      typeof row.objects === 'string' ? JSON.parse(row.objects) : row.objects,
    ...(row.actor ? { actor: row.actor } : {}),
    createdAt: toIso(row.created_at),
  };
}

const TABLE = 'gateway_revisions';
const ATTEMPTS = 5;

export class GatewayRevisionStore {
  constructor(private readonly knex: Knex) {}

  /** Records the next revision of the bundle; retries when a concurrent writer took the number. */
  async record(revision: NewRevision): Promise<GatewayRevision> {
    const objects = JSON.stringify(revision.objects.map(redactObject));
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.knex.transaction(async tx => {
          const [{ max }] = await tx(TABLE)
            .where({
              entity_ref: revision.entityRef,
              bundle_name: revision.bundle,
            })
            .max({ max: 'revision' });
          const number = Number(max ?? 0) + 1;
          const row = {
            entity_ref: revision.entityRef,
            bundle_name: revision.bundle,
            revision: number,
            action: revision.action,
            template: revision.template,
            cluster: revision.cluster,
            objects,
            actor: revision.actor ?? null,
          };
          await tx(TABLE).insert(row);
          const stored = await tx(TABLE)
            .where({
              entity_ref: revision.entityRef,
              bundle_name: revision.bundle,
              revision: number,
            })
            .first();
          return toRevision(stored);
        });
      } catch (error) {
        // The unique (entity, bundle, revision) index refused a duplicate number: count again.
        if (attempt >= ATTEMPTS || !/unique|duplicate/i.test(String(error)))
          throw error;
      }
    }
  }

  /** Newest first; all bundles of the entity unless one is named. */
  async list(
    entityRef: string,
    bundle?: string,
    limit = 100,
  ): Promise<GatewayRevision[]> {
    const rows = await this.knex(TABLE)
      .where({
        entity_ref: entityRef,
        ...(bundle ? { bundle_name: bundle } : {}),
      })
      .orderBy([
        { column: 'bundle_name', order: 'asc' },
        { column: 'revision', order: 'desc' },
      ])
      .limit(limit);
    return rows.map(toRevision);
  }

  /**
   * The object as it was at `resourceVersion`, as far as the revisions tell:
   * the newest recorded state not newer than that version. Status changes
   * (controllers) bump resourceVersions without a revision, and leave the
   * spec as recorded. resourceVersions are compared as integers, which every
   * API server in practice issues; otherwise only an exact match counts.
   */
  async findObjectAt(
    entityRef: string,
    bundle: string,
    kind: string,
    name: string,
    resourceVersion: string,
  ): Promise<Record<string, any> | undefined> {
    const seen = Number(resourceVersion);
    for (const revision of await this.list(entityRef, bundle)) {
      const object: Record<string, any> | undefined = revision.objects.find(
        (o: any) => o.kind === kind && o.metadata?.name === name,
      );
      const recorded = object?.metadata?.resourceVersion;
      if (!recorded) continue;
      if (recorded === resourceVersion) return object;
      const at = Number(recorded);
      if (Number.isSafeInteger(seen) && Number.isSafeInteger(at) && at <= seen)
        return object;
    }
    return undefined;
  }
}
