import type {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
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
 * Who asks: a REST route passes its request, an action the credentials the
 * actions registry resolved from the request that invoked it.
 */
export type Caller = Request | { credentials: BackstageCredentials };

export type AuditSeverity = 'low' | 'medium' | 'high';

/** What a route and the action doing the same thing have in common. */
export interface EntityOperation {
  eventId: string;
  meta: JsonObject;
  severityLevel?: AuditSeverity;
  /** Checked in order against the subject's entity; the first denied one fails the operation. */
  permissions: ResourcePermission<'catalog-entity'>[];
}

export interface Authorized<S> {
  /** What the operation acts on: `{ entityRef }`, or e.g. the instance it loaded. */
  subject: S;
  credentials: BackstageCredentials;
  /** The calling user's entity ref; undefined for a service. */
  actor?: string;
  /** The subject's catalog entity as the caller may see it, or NotFoundError. */
  entity(): Promise<Entity>;
}

function isRequest(caller: Caller): caller is Request {
  return 'headers' in caller;
}

function actorOf(credentials: BackstageCredentials): string | undefined {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
  };
  return principal.type === 'user' ? principal.userEntityRef : undefined;
}

/** The audit actor as the auditor spells it: a user's entity ref or a service's subject. */
function principalOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user') return principal.userEntityRef!;
  return principal.subject ?? principal.type;
}

/**
 * Every runner route and action acts on behalf of a catalog entity: this
 * finds the entity with the caller's credentials (so the catalog's own
 * visibility rules apply), checks the runner permission against it, and
 * records the audit event around the work.
 */
export class EntityAccess {
  constructor(private readonly deps: EntityAccessDeps) {}

  async credentials(caller: Caller): Promise<BackstageCredentials> {
    return isRequest(caller)
      ? this.deps.httpAuth.credentials(caller)
      : caller.credentials;
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
   * errors are recorded as failures. A request names its actor itself; an
   * action has none, so the actor goes into the metadata (without it the
   * auditor would name this plugin's own service as the actor).
   */
  async audited<T>(
    caller: Caller,
    eventId: string,
    meta: JsonObject,
    work: () => Promise<T>,
    severityLevel: AuditSeverity = 'medium',
  ): Promise<T> {
    const event = await this.deps.auditor.createEvent(
      isRequest(caller)
        ? { eventId, severityLevel, request: caller, meta }
        : {
            eventId,
            severityLevel,
            meta: { ...meta, actor: principalOf(caller.credentials) },
          },
    );
    try {
      const result = await work();
      await event.success();
      return result;
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  }

  /**
   * The step routes and actions share: inside the operation's audit event,
   * resolve the caller's credentials, find the subject (an entity ref, or
   * e.g. an instance that names one), check each permission against its
   * entity, then do the work.
   */
  async run<S extends { entityRef: string }, T>(
    caller: Caller,
    operation: EntityOperation,
    subject: S | (() => Promise<S>),
    work: (authorized: Authorized<S>) => Promise<T>,
  ): Promise<T> {
    return this.audited(
      caller,
      operation.eventId,
      operation.meta,
      async () => {
        const credentials = await this.credentials(caller);
        const found = typeof subject === 'function' ? await subject() : subject;
        for (const permission of operation.permissions) {
          await this.authorize(permission, found.entityRef, credentials);
        }
        return work({
          subject: found,
          credentials,
          actor: actorOf(credentials),
          entity: () => this.entity(found.entityRef, credentials),
        });
      },
      operation.severityLevel,
    );
  }
}
