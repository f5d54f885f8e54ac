/**
 * The failure of an instance as the UI shows it. The backend sends a
 * CategorizedError; this reads it leniently (every field but the message is
 * optional) so that a failure recorded by an older backend, or one with a
 * field missing, still shows what it has instead of nothing.
 */
export interface FailureView {
  userMessage: string;
  category?: string;
  code?: string;
  severity?: string;
  recoverable?: boolean;
  remediation?: string;
  detail?: string;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value : undefined;
}

export function readFailure(failure: unknown): FailureView | undefined {
  if (!failure || typeof failure !== 'object') return undefined;
  const f = failure as Record<string, unknown>;
  const userMessage =
    text(f.userMessage) ?? text(f.message) ?? 'The instance failed.';
  return {
    userMessage,
    category: text(f.category),
    code: text(f.code),
    severity: text(f.severity),
    recoverable: typeof f.recoverable === 'boolean' ? f.recoverable : undefined,
    remediation: text(f.remediation),
    detail: text(f.detail),
  };
}

/**
 * Splits a remediation into plain text and `backticked` tokens, which name
 * an annotation, config key or command and are shown as code.
 */
export function remediationParts(
  remediation: string,
): Array<{ code: boolean; text: string }> {
  return remediation
    .split(/(`[^`]+`)/)
    .filter(part => part.length > 0)
    .map(part =>
      part.startsWith('`') && part.endsWith('`') && part.length > 1
        ? { code: true, text: part.slice(1, -1) }
        : { code: false, text: part },
    );
}
