/*
 * Turns whatever was thrown (or handed over: a build progress item, a
 * container state, a Docker event) into the few facts the rules look at.
 * The classifier must not import dockerode or client-node, so every shape is
 * recognized by its fields, which also works across duplicate package copies.
 */

/** A Kubernetes `Status` object, as API servers return for every failure. */
export interface KubernetesStatus {
  reason?: string;
  message?: string;
  code?: number;
  details?: {
    kind?: string;
    name?: string;
    group?: string;
    causes?: Array<{ field?: string; message?: string; reason?: string }>;
  };
}

export interface ErrorFacts {
  /** `Error`, `NotFoundError`, `FetchError`, `BuildFailedError`, … */
  name: string;
  /** The most specific text: the engine's or API server's own message when there is one. */
  message: string;
  /** The text as thrown, for the detail. */
  raw: string;
  /** HTTP status of the engine's or API server's answer. */
  status?: number;
  /** Node's error code: `ECONNREFUSED`, `ENOENT`, `EADDRINUSE`, … */
  errno?: string;
  syscall?: string;
  address?: string;
  /** Set when the error came from a Kubernetes API server. */
  kubernetes?: KubernetesStatus;
  /** client-node's ApiException (numeric `code`, `body`, `headers`). */
  fromKubernetesClient: boolean;
  /** dockerode's error for an engine answer: `(HTTP code N) …` with `statusCode` and `json`. */
  fromDockerEngine: boolean;
  /** Exit code of a container that stopped. */
  exitCode?: number;
  oomKilled?: boolean;
  /** Action of a Docker event (`oom`, `die`). */
  event?: string;
  /** Handed a container's state or event rather than a thrown error. */
  fromContainerState: boolean;
  /** Fields the runner's own errors carry (`hostPort`, `operation`, `timeoutMs`, `step`, `logTail`). */
  fields: Record<string, unknown>;
}

type Bag = Record<string, unknown>;

const isBag = (v: unknown): v is Bag => typeof v === 'object' && v !== null;
const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.length > 0 ? v : undefined;
const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;

function parseKubernetesStatus(body: unknown): KubernetesStatus | undefined {
  let value = body;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (isBag(value) && value.kind === 'Status') {
    return value as KubernetesStatus;
  }
  return undefined;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Facts of one error, not following `cause`. */
export function factsOf(error: unknown): ErrorFacts {
  if (!isBag(error)) {
    const text = error === undefined ? 'undefined' : String(error);
    return {
      name: 'Error',
      message: text,
      raw: text,
      fromKubernetesClient: false,
      fromDockerEngine: false,
      fromContainerState: false,
      fields: {},
    };
  }
  const e = error as Bag;
  const name = str(e.name) ?? (error instanceof Error ? 'Error' : 'Object');
  const thrownMessage = str(e.message);
  const facts: ErrorFacts = {
    name,
    message: thrownMessage ?? '',
    raw: thrownMessage ?? safeJson(error),
    errno: str(e.code) ?? str(e.errno),
    syscall: str(e.syscall),
    address: str(e.address),
    fromKubernetesClient: false,
    fromDockerEngine: false,
    fromContainerState: false,
    fields: e,
  };

  // dockerode: "(HTTP code 500) server error - <engine message> ", with
  // statusCode and json ({ message }) when the engine answered JSON.
  const statusCode = num(e.statusCode);
  if (statusCode !== undefined) {
    facts.status = statusCode;
    const engineMessage = isBag(e.json) ? str(e.json.message) : undefined;
    if ('json' in e || /^\(HTTP code \d{3}\)/.test(facts.message)) {
      facts.fromDockerEngine = true;
      facts.message =
        engineMessage ??
        facts.message.replace(/^\(HTTP code \d{3}\) [^-]*- /, '').trim();
    }
  }

  // client-node's ApiException: numeric code, body (a JSON string of a
  // Status), headers. Its message repeats all three; the Status says it best.
  const numericCode = num(e.code);
  if (
    numericCode !== undefined &&
    numericCode >= 100 &&
    numericCode < 600 &&
    'body' in e
  ) {
    facts.fromKubernetesClient = true;
    facts.status = numericCode;
    facts.errno = undefined;
  }
  // The plugin's own KubernetesApiError: the Status's code, reason and
  // message, already parsed (it keeps no body).
  const apiError: KubernetesStatus | undefined =
    name === 'KubernetesApiError' && numericCode !== undefined
      ? {
          code: numericCode,
          reason: str(e.reason),
          message: thrownMessage,
          details: { causes: Array.isArray(e.causes) ? e.causes : [] },
        }
      : undefined;
  const status =
    parseKubernetesStatus(e.body) ?? parseKubernetesStatus(error) ?? apiError;
  if (status) {
    facts.kubernetes = status;
    facts.status = num(status.code) ?? facts.status;
    facts.message = str(status.message) ?? status.reason ?? facts.message;
    const causes = (status.details?.causes ?? [])
      .map(c => [c.field, c.message].filter(Boolean).join(': '))
      .filter(Boolean);
    facts.raw = `HTTP ${facts.status ?? '?'} ${status.reason ?? ''}: ${
      facts.message
    }${causes.length ? ` [${causes.join('; ')}]` : ''}`;
  } else if (facts.fromKubernetesClient) {
    // A 401 from client-node has no body; keep the first line only, not the
    // echoed headers.
    facts.raw = (thrownMessage ?? '').split('\nHeaders:')[0];
  }

  // A build progress item: { error, errorDetail: { code?, message } }.
  if (isBag(e.errorDetail) || str(e.error)) {
    const detail = isBag(e.errorDetail)
      ? str(e.errorDetail.message)
      : undefined;
    facts.message = detail ?? str(e.error) ?? facts.message;
    facts.raw = facts.message;
  }

  // Container state: Docker's inspect `State` ({ OOMKilled, ExitCode, Error }),
  // the runner's ContainerState ({ oomKilled, exitCode, error }), or an error
  // carrying those fields.
  const state = isBag(e.State) ? (e.State as Bag) : e;
  const oom = state.OOMKilled ?? state.oomKilled;
  if (typeof oom === 'boolean') facts.oomKilled = oom;
  facts.exitCode = num(state.ExitCode) ?? num(state.exitCode);
  const stateError =
    str(state.Error) ??
    (typeof state.error === 'string' ? str(state.error) : undefined);
  if (
    !thrownMessage &&
    (facts.exitCode !== undefined || facts.oomKilled !== undefined)
  ) {
    facts.fromContainerState = true;
    facts.message =
      stateError ??
      (facts.oomKilled
        ? `container was OOMKilled (exit code ${facts.exitCode})`
        : `container exited with code ${facts.exitCode}`);
    facts.raw = `${facts.message} (state ${safeJson(state)})`;
  }

  // Docker events: the runner's ContainerEvent ({ action }) or the engine's
  // ({ Type: 'container', Action }).
  const action =
    str(e.action) ??
    str(e.Action) ??
    (e.Type === 'container' ? str(e.status) : undefined);
  if (action && !thrownMessage) {
    facts.event = action;
    facts.fromContainerState = true;
    const attributes =
      isBag(e.Actor) && isBag(e.Actor.Attributes) ? e.Actor.Attributes : {};
    facts.exitCode = facts.exitCode ?? num(Number(attributes.exitCode ?? NaN));
    facts.message = `container event '${action}'`;
    facts.raw = safeJson(error);
  }

  if (!facts.message) {
    facts.message = facts.raw;
  }
  return facts;
}

/** The error and its causes, outermost first (bounded: causes can be cyclic). */
export function factsChain(error: unknown): ErrorFacts[] {
  const chain: ErrorFacts[] = [];
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (chain.length < 6 && !seen.has(current)) {
    seen.add(current);
    chain.push(factsOf(current));
    if (!isBag(current) || current.cause === undefined) break;
    current = current.cause;
  }
  return chain;
}
