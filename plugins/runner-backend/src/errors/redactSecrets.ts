/** What a redacted value is replaced with. */
export const REDACTED = '[REDACTED]';

/*
 * Credential shapes that can turn up in error text: engine messages echo
 * URLs, client-node's ApiException echoes headers, git echoes remote URLs,
 * build logs echo whatever a Dockerfile printed. Each pattern keeps the
 * harmless part (a header or key name) so the detail still says what was
 * there.
 */
const PRIVATE_KEY_BLOCK =
  /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY( BLOCK)?-----[\s\S]*?(?:-----END \1PRIVATE KEY\2-----|$)/g;

// `scheme://user:password@host`: the whole userinfo goes, since a token is
// often the user part (`https://<token>:x-oauth-basic@github.com`).
const URL_USERINFO_WITH_PASSWORD =
  /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@"'<>]*:[^\s/@"'<>]*@/gi;
// `https://<token>@host`: a long user part alone is a token, not a login
// name like `git@`.
const URL_USERINFO_TOKEN = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:"'<>]{16,}@/gi;

// Header lines and JSON header maps: `Authorization: Bearer x`,
// `"authorization":"Basic x"`, `X-Registry-Auth: x`.
const SECRET_HEADER =
  /\b((?:proxy-)?authorization|x-registry-auth|x-api-key|api-key|private-token|x-auth-token|cookie|set-cookie)("?\s*[:=]\s*"?)([^"\r\n]+)/gi;

// `Bearer <token>` / `Basic <base64>`. A credential has a digit or a base64
// sign; prose such as "Basic authentication" has neither and stays.
const AUTH_SCHEME_TOKEN =
  /\b(Bearer|bearer|Basic)\s+([A-Za-z0-9\-._~+/]{8,}=*)/g;

// `password=x`, `"client_secret": "x"`, `?access_token=x&`, `TOKEN=x`.
const SECRET_ASSIGNMENT =
  /\b([\w.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credentials?)[\w-]*)("?\s*[=:]\s*["']?)([^\s"'&,;}]+)/gi;

const TOKEN_SHAPES: RegExp[] = [
  // AWS access key ids
  /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b/g,
  // OpenAI / Anthropic style API keys, Stripe secret keys
  /\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}/g,
  /\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}/g,
  // GitHub, GitLab, npm, Slack, Google API keys
  /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}/g,
  /\bgithub_pat_[A-Za-z0-9_]{30,}/g,
  /\bglpat-[A-Za-z0-9_-]{20,}/g,
  /\bnpm_[A-Za-z0-9]{36}\b/g,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/g,
  /\bAIza[0-9A-Za-z_-]{35}/g,
  // JWTs, e.g. Kubernetes service-account tokens
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g,
];

// 40 base64 characters standing alone: the shape of an AWS secret access key.
const BASE64_40 = /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;

function looksLikeSecret40(candidate: string): boolean {
  // Git commit ids are 40 hex characters and must stay readable; a random
  // base64 secret mixes cases and digits.
  if (/^[0-9a-f]{40}$/i.test(candidate)) return false;
  return (
    /[A-Z]/.test(candidate) &&
    /[a-z]/.test(candidate) &&
    /[0-9]/.test(candidate)
  );
}

/** The forms a known secret can take once embedded in a URL or a JSON string. */
function variantsOf(secret: string): string[] {
  const variants = new Set([secret]);
  variants.add(encodeURIComponent(secret));
  variants.add(JSON.stringify(secret).slice(1, -1));
  // client-node's ApiException JSON-encodes a body that is itself JSON.
  variants.add(
    JSON.stringify(JSON.stringify(secret).slice(1, -1)).slice(1, -1),
  );
  return [...variants];
}

/**
 * Removes secrets from text meant for users, logs and the error history.
 *
 * `knownSecrets` are values the caller knows to be secret (env values marked
 * secret, cluster tokens, registry passwords); every occurrence goes, also
 * URL- or JSON-encoded. Blank values are ignored, since replacing them would
 * erase the text around them, not a secret. Then common credential shapes go
 * even when nobody declared them: private key blocks, passwords in URLs,
 * authorization headers, bearer/basic tokens, `password=`-style assignments,
 * AWS keys, `sk-…` API keys, GitHub/GitLab/Slack/npm tokens and JWTs.
 */
export function redactSecrets(
  text: string,
  knownSecrets: readonly string[] = [],
): string {
  let out = text;

  // Longest first, so a secret that contains another is removed whole.
  const secrets = knownSecrets
    .filter(s => typeof s === 'string' && s.trim().length > 0)
    .flatMap(variantsOf)
    .sort((a, b) => b.length - a.length);
  for (const secret of secrets) {
    out = out.split(secret).join(REDACTED);
  }

  out = out.replace(PRIVATE_KEY_BLOCK, `[REDACTED PRIVATE KEY]`);
  out = out.replace(URL_USERINFO_WITH_PASSWORD, `$1${REDACTED}@`);
  out = out.replace(URL_USERINFO_TOKEN, `$1${REDACTED}@`);
  out = out.replace(SECRET_HEADER, `$1$2${REDACTED}`);
  out = out.replace(AUTH_SCHEME_TOKEN, (match, scheme, token) =>
    /[0-9=+/]/.test(token) ? `${scheme} ${REDACTED}` : match,
  );
  out = out.replace(SECRET_ASSIGNMENT, (match, key, sep, value) =>
    value === REDACTED || value.startsWith('[REDACTED')
      ? match
      : `${key}${sep}${REDACTED}`,
  );
  for (const shape of TOKEN_SHAPES) {
    out = out.replace(shape, REDACTED);
  }
  out = out.replace(BASE64_40, candidate =>
    looksLikeSecret40(candidate) ? REDACTED : candidate,
  );
  return out;
}
