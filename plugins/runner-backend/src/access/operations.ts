import {
  runnerAlertReadPermission,
  runnerGatewayReadPermission,
  runnerInstanceCreatePermission,
  runnerInstanceReadPermission,
  runnerInstanceUpdatePermission,
} from '@internal/plugin-runner-common';
import type { EntityOperation } from './EntityAccess';

/*
 * The operations offered both as a REST route and as an action (src/actions):
 * one definition of the permission each checks and the audit event each
 * writes, so the two ways in cannot drift apart.
 */

export const operations = {
  /** A read of an entity's instances: `list`, or its `effective-config`. */
  readEntityInstances: (
    entityRef: string,
    queryType: 'list' | 'effective-config',
  ): EntityOperation => ({
    eventId: 'instance-read',
    meta: { entityRef, queryType },
    severityLevel: 'low',
    permissions: [runnerInstanceReadPermission],
  }),
  startInstance: (entityRef: string): EntityOperation => ({
    eventId: 'instance-start',
    meta: { entityRef },
    permissions: [runnerInstanceCreatePermission],
  }),
  stopInstance: (instanceId: string): EntityOperation => ({
    eventId: 'instance-stop',
    meta: { instanceId },
    permissions: [runnerInstanceUpdatePermission],
  }),
  /** Any read of one instance; `queryType` says which (logs-run, health, stats, …). */
  readInstance: (instanceId: string, queryType?: string): EntityOperation => ({
    eventId: 'instance-read',
    meta: queryType ? { instanceId, queryType } : { instanceId },
    severityLevel: 'low',
    permissions: [runnerInstanceReadPermission],
  }),
  listAlerts: (entityRef: string, state: string): EntityOperation => ({
    eventId: 'alert-read',
    meta: { entityRef, queryType: state },
    severityLevel: 'low',
    permissions: [runnerAlertReadPermission],
  }),
  validateGateway: (entityRef: string): EntityOperation => ({
    eventId: 'gateway-read',
    meta: { entityRef, queryType: 'validate' },
    severityLevel: 'low',
    permissions: [runnerGatewayReadPermission],
  }),
  diffGateway: (entityRef: string): EntityOperation => ({
    eventId: 'gateway-read',
    meta: { entityRef, queryType: 'diff' },
    severityLevel: 'low',
    permissions: [runnerGatewayReadPermission],
  }),
};
