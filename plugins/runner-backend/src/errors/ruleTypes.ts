import type { ErrorCode } from '@internal/plugin-runner-common';
import type { ErrorFacts } from './facts';

/** What the failing code was doing; network errors carry no other hint of which dependency failed. */
export type ClassifyOperation =
  | 'source'
  | 'build'
  | 'pull'
  | 'run'
  | 'stop'
  | 'remove'
  | 'docker'
  | 'kubernetes'
  | 'config'
  | 'request';

/** A rule's verdict: the code, plus what it learned for the messages. */
export interface Match {
  code: ErrorCode;
  /** A sentence specific to this failure, replacing the catalog's general one. */
  say?: string;
  /** Words from the engine or API server, appended to the catalog's sentence. */
  more?: string;
  /** Advice specific to this failure's cause, replacing the catalog's general remediation. */
  advise?: string;
  port?: string;
  image?: string;
  registry?: string;
  url?: string;
}

export type Rule = (
  f: ErrorFacts,
  op: ClassifyOperation | undefined,
) => Match | undefined;

const DOCKER_OPERATIONS: ReadonlySet<string> = new Set([
  'build',
  'pull',
  'run',
  'stop',
  'remove',
  'docker',
]);

export function isDockerOperation(op: ClassifyOperation | undefined): boolean {
  return op !== undefined && DOCKER_OPERATIONS.has(op);
}

/** One row of a message-pattern table. */
export interface Pattern {
  code: ErrorCode;
  re: RegExp;
  /** Only while doing one of these: some engine messages are bare words, ambiguous elsewhere. */
  ops?: readonly ClassifyOperation[];
  /** What the match tells the messages. */
  with?: (m: RegExpExecArray, f: ErrorFacts) => Omit<Match, 'code'>;
}

/** A rule that tries the rows in order against the error's message. */
export function patternRule(patterns: readonly Pattern[]): Rule {
  return (f, op) => {
    for (const p of patterns) {
      if (p.ops && (!op || !p.ops.includes(op))) continue;
      const m = p.re.exec(f.message);
      if (m) return { code: p.code, ...p.with?.(m, f) };
    }
    return undefined;
  };
}
