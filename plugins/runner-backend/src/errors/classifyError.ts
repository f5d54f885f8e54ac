import {
  errorCodeInfo,
  type CategorizedError,
} from '@internal/plugin-runner-common';
import { factsChain, type ErrorFacts } from './facts';
import { redactSecrets } from './redactSecrets';
import { RULES, type ClassifyOperation, type Match } from './rules';

export type { ClassifyOperation } from './rules';

/** What the caller knows about the failure that the error itself may not say. */
export interface ClassifyContext {
  /** What was being done. Needed to tell a Docker, source or Kubernetes network failure apart. */
  operation?: ClassifyOperation;
  /** The entity whose instance or gateway failed, e.g. `component:default/hello-http`. */
  entityRef?: string;
  /** Host port being published, when known. */
  port?: number;
  /** Image being built, pulled or run. */
  image?: string;
  /** Name of the Kubernetes cluster (`runner.kubernetes.clusters[].name`). */
  cluster?: string;
  /** Values that must not appear in the result: secret env values, cluster tokens, registry passwords. */
  secrets?: readonly string[];
}

/** Above this, the detail keeps its head and tail: build output can be huge. */
const MAX_DETAIL_CHARS = 16_000;
const DETAIL_HEAD_CHARS = 2_000;

function entityName(entityRef: string | undefined): string | undefined {
  if (!entityRef) return undefined;
  return (
    entityRef.slice(
      Math.max(entityRef.lastIndexOf('/'), entityRef.lastIndexOf(':')) + 1,
    ) || undefined
  );
}

function describeFacts(f: ErrorFacts): string {
  const named =
    !['Error', 'Object'].includes(f.name) && !f.raw.startsWith(f.name);
  const lines = [named ? `${f.name}: ${f.raw}` : f.raw];
  if (f.status && !f.raw.includes(String(f.status)))
    lines.push(`HTTP status ${f.status}`);
  if (f.errno && !f.raw.includes(f.errno)) lines.push(`code ${f.errno}`);
  if (typeof f.fields.step === 'string') lines.push(`at ${f.fields.step}`);
  const tail = f.fields.logTail;
  if (Array.isArray(tail) && tail.length > 0) {
    lines.push('last output:', ...tail.slice(-30).map(String));
  }
  return lines.join('\n');
}

/** Every message of the chain, without repeating a cause already quoted by its wrapper. */
function detailOf(chain: ErrorFacts[]): string {
  const parts: string[] = [];
  for (const f of chain) {
    const text = describeFacts(f);
    if (parts.some(p => p.includes(f.raw))) continue;
    parts.push(parts.length === 0 ? text : `caused by: ${text}`);
  }
  return parts.join('\n') || 'no error details were given';
}

function truncate(text: string): string {
  if (text.length <= MAX_DETAIL_CHARS) return text;
  const cut = text.length - MAX_DETAIL_CHARS;
  return `${text.slice(
    0,
    DETAIL_HEAD_CHARS,
  )}\n… (${cut} characters cut) …\n${text.slice(
    text.length - (MAX_DETAIL_CHARS - DETAIL_HEAD_CHARS),
  )}`;
}

function fill(
  template: string,
  values: Record<string, string | undefined>,
): string {
  return template.replace(
    /<(name|port|image|cluster|registry|url)>/g,
    (placeholder, key: string) => values[key] ?? placeholder,
  );
}

/**
 * Turns any failure into a {@link CategorizedError}.
 *
 * Accepts thrown errors (dockerode, client-node, node-fetch, git output,
 * @backstage/errors, the runner's own), build progress items
 * (`{ errorDetail }`), container states (`{ OOMKilled, ExitCode }` or the
 * runner's `{ oomKilled, exitCode }`) and Docker events (`{ action: 'oom' }`).
 * Rules are tried most specific first, each against the error and then its
 * `cause`s; the first rule that recognizes one decides. Nothing is dropped:
 * an unrecognized error becomes `UNKNOWN` with its full text as the detail.
 * Secrets are redacted from every text in the result.
 */
export function classifyError(
  error: unknown,
  context: ClassifyContext = {},
): CategorizedError {
  const chain = factsChain(error);
  // Rule-major: a specific rule matching a cause beats a generic one matching
  // the wrapper (a NotFoundError around a missing Docker socket is the socket).
  let match: Match | undefined;
  for (const rule of RULES) {
    for (const facts of chain) {
      match = rule(facts, context.operation);
      if (match) break;
    }
    if (match) break;
  }
  const verdict = match ?? { code: 'UNKNOWN' as const };
  const info = errorCodeInfo(verdict.code);
  const secrets = context.secrets ?? [];
  const values = {
    name: entityName(context.entityRef),
    port:
      verdict.port ??
      (context.port !== undefined ? String(context.port) : undefined),
    image: verdict.image ?? context.image,
    cluster: context.cluster,
    registry: verdict.registry,
    url: verdict.url,
  };

  let userMessage = verdict.say ?? info.userMessage;
  if (verdict.more) userMessage = `${userMessage} ${verdict.more}`;

  return {
    category: info.category,
    code: info.code,
    severity: info.severity,
    recoverable: info.recoverable,
    origin: info.origin,
    userMessage: redactSecrets(userMessage, secrets),
    remediation: redactSecrets(
      fill(verdict.advise ?? info.remediation, values),
      secrets,
    ),
    // Redact before cutting, so a cut cannot split a secret into parts that no longer match.
    detail: truncate(redactSecrets(detailOf(chain), secrets)),
  };
}
