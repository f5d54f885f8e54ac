import type {
  InstanceEvent,
  InstancePort,
  InstanceState,
  RunnerInstance,
} from '@internal/plugin-runner-common';

/** Fields that change along the lifecycle. */
export interface InstancePatch {
  configHash?: string | null;
  cacheKey?: string | null;
  imageId?: string | null;
  containerId?: string | null;
  ports?: InstancePort[];
  exitCode?: number | null;
  oomKilled?: boolean;
  failure?: Record<string, unknown> | null;
  startedAt?: Date | null;
  stoppedAt?: Date | null;
  runDeadline?: Date | null;
}

export interface CreateInstanceInput {
  id: string;
  entityRef: string;
  createdBy?: string;
  configHash?: string;
  /** At most this many active instances of the entity may exist. */
  maxActive: number;
}

export type LogStream = 'build' | 'run';

export interface StoredLogLine {
  id: number;
  stream: LogStream;
  line: string;
  at: string;
}

/**
 * Persistence of instances, their transitions, slots and logs. The only place
 * that knows SQL for them.
 */
export interface InstanceStore {
  /**
   * Inserts a pending instance holding one of the entity's slots. Throws a
   * ConflictError when all `maxActive` slots are taken — enforced by the
   * database, so concurrent requests on any number of backends agree.
   */
  create(input: CreateInstanceInput): Promise<RunnerInstance>;
  get(id: string): Promise<RunnerInstance | undefined>;
  list(filter?: {
    entityRef?: string;
    states?: InstanceState[];
  }): Promise<RunnerInstance[]>;
  /**
   * Moves an instance to `to` if it is in one of `from`, applying the patch
   * and recording the transition. Returns undefined when the instance was not
   * in an expected state (someone else moved it first).
   */
  transition(
    id: string,
    from: readonly InstanceState[],
    to: InstanceState,
    patch?: InstancePatch,
    message?: string,
  ): Promise<RunnerInstance | undefined>;
  /** Updates fields without a state change. */
  update(id: string, patch: InstancePatch): Promise<void>;
  /** Re-acquires a slot for a restart; throws ConflictError when none is free. */
  acquireSlot(id: string, entityRef: string, maxActive: number): Promise<void>;
  releaseSlot(id: string): Promise<void>;
  delete(id: string): Promise<void>;
  events(id: string): Promise<InstanceEvent[]>;
  appendLogs(id: string, stream: LogStream, lines: string[]): Promise<void>;
  readLogs(
    id: string,
    stream: LogStream,
    options?: { afterId?: number; tail?: number },
  ): Promise<StoredLogLine[]>;
}
