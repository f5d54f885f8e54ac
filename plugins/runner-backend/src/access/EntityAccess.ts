import type {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  type ResourcePermission,
} from '@backstage/plugin-permission-common';
import type { Request } from 'express';
import type { JsonObject } from '@backstage/types';

export interface EntityAccessDeps {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  auditor: AuditorService;
}

/**
 * Every runner route acts on behalf of a catalog entity: this finds the
 * entity with the caller's credentials (so the catalog's own visibility
 * rules apply), checks the runner permission against it, and opens the
 * audit event that the route completes.
 */
export class EntityAccess {
  constructor(private readonly deps: EntityAccessDeps) {}

  async credentials(req: Request): Promise<BackstageCredentials> {
    return this.deps.httpAuth.credentials(req);
  }

  /** The entity, or NotFoundError; the caller's credentials decide what is visible. */
  async entity(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    const entity = await this.deps.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) {
      throw new NotFoundError(`No catalog entity '${entityRef}'`);
    }
    return entity;
  }

  /** Throws NotAllowedError unless the permission is granted for this entity. */
  async authorize(
    permission: ResourcePermission<'catalog-entity'>,
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<void> {
    const [decision] = await this.deps.permissions.authorize(
      [{ permission, resourceRef: entityRef }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `${permission.name} is not allowed on ${entityRef}`,
      );
    }
  }

  /**
   * Runs `work` inside an audit event: authorization failures, bad input and
   * errors are recorded as failures, with the actor taken from the request.
   */
  async audited<T>(
    req: Request,
    eventId: string,
    meta: JsonObject,
    work: () => Promise<T>,
    severityLevel: 'low' | 'medium' | 'high' = 'medium',
  ): Promise<T> {
    const event = await this.deps.auditor.createEvent({
      eventId,
      severityLevel,
      request: req,
      meta,
    });
    try {
      const result = await work();
      await event.success();
      return result;
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  }
}

export function entityRefOf(entity: Entity): string {
  return stringifyEntityRef(entity);
}
