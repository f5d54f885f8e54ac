/**
 * Lifecycle of a runner instance (one run of a component as a container).
 *
 * pending → building → starting → running → stopping → stopped | failed.
 * A cached image skips `building`; any state may end in `failed`.
 *
 * @public
 */
export type InstanceState =
  | 'pending'
  | 'building'
  | 'starting'
  | 'running'
  | 'stopping'
  | 'stopped'
  | 'failed';

/** States that hold one of the entity's `maxInstancesPerEntity` slots. @public */
export const ACTIVE_INSTANCE_STATES: readonly InstanceState[] = [
  'pending',
  'building',
  'starting',
  'running',
  'stopping',
];

/** @public */
export function isActiveInstanceState(state: InstanceState): boolean {
  return ACTIVE_INSTANCE_STATES.includes(state);
}

/** A container port published on the loopback interface. @public */
export interface InstancePort {
  containerPort: number;
  protocol: 'tcp' | 'udp';
  hostIp: string;
  hostPort: number;
}

/**
 * An instance as the REST API returns it.
 *
 * @public
 */
export interface RunnerInstance {
  id: string;
  entityRef: string;
  state: InstanceState;
  configHash?: string;
  cacheKey?: string;
  imageId?: string;
  containerId?: string;
  ports: InstancePort[];
  exitCode?: number;
  oomKilled: boolean;
  /** The categorized error that failed the instance (see the error taxonomy). */
  failure?: Record<string, unknown>;
  createdBy?: string;
  createdAt: string;
  updatedAt: string;
  startedAt?: string;
  stoppedAt?: string;
  runDeadline?: string;
}

/** One state transition. @public */
export interface InstanceEvent {
  id: number;
  instanceId: string;
  fromState?: InstanceState;
  toState: InstanceState;
  message?: string;
  at: string;
}
