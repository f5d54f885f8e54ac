import { InputError } from '@backstage/errors';

/*
 * `securityOptions` are handed to Docker as HostConfig.SecurityOpt. The runner
 * exists to run other people's code hardened, so options that switch a
 * protection off are refused here, at start-up, rather than silently applied.
 */

const ACCEPTED_FORMS =
  'seccomp=<profile JSON>, apparmor=<profile>, label=user:|role:|type:|level:<value>, no-new-privileges[=true]';

/** Option → why it is refused. Keys are `name=value`, lowercased. */
const WEAKENING: Record<string, string> = {
  'seccomp=unconfined': 'it turns off the seccomp syscall filter',
  'apparmor=unconfined': 'it turns off the AppArmor profile',
  'label=disable': 'it turns off SELinux labelling',
  'systempaths=unconfined':
    'it exposes /proc and /sys paths that Docker masks from containers',
  'no-new-privileges=false':
    'the runner always sets no-new-privileges; setuid binaries must not gain privileges',
  'writable-cgroups=true': 'it lets the container write to its cgroup limits',
};

const KNOWN = new Set([
  'seccomp',
  'apparmor',
  'label',
  'no-new-privileges',
  'systempaths',
  'writable-cgroups',
]);

/**
 * Validates one security option. Docker accepts both `name=value` and the
 * older `name:value`, so both spellings are checked.
 */
export function validateSecurityOption(raw: unknown, key: string): string {
  if (typeof raw !== 'string' || raw.trim() === '') {
    throw new InputError(
      `Invalid config at '${key}': expected a string such as ${ACCEPTED_FORMS}`,
    );
  }
  const option = raw.trim();
  const separator = option.search(/[=:]/);
  const name = (separator < 0 ? option : option.slice(0, separator))
    .trim()
    .toLocaleLowerCase('en-US');
  const value =
    separator < 0
      ? ''
      : option
          .slice(separator + 1)
          .trim()
          .toLocaleLowerCase('en-US');
  if (!KNOWN.has(name)) {
    throw new InputError(
      `Invalid config at '${key}': '${option}' is not a Docker security option; use ${ACCEPTED_FORMS}`,
    );
  }
  const reason = WEAKENING[`${name}=${value}`];
  if (reason) {
    throw new InputError(
      `Invalid config at '${key}': '${option}' is not allowed because ${reason}; the runner only accepts options that keep or tighten isolation`,
    );
  }
  if (name !== 'no-new-privileges' && value === '') {
    throw new InputError(
      `Invalid config at '${key}': '${option}' has no value; use ${ACCEPTED_FORMS}`,
    );
  }
  if (name === 'no-new-privileges' && !['', 'true'].includes(value)) {
    throw new InputError(
      `Invalid config at '${key}': '${option}'; use no-new-privileges or no-new-privileges=true`,
    );
  }
  const harmless = name === 'writable-cgroups' && value === 'false';
  if ((name === 'systempaths' || name === 'writable-cgroups') && !harmless) {
    // The only other values Docker knows for these loosen isolation (refused
    // above); anything else is a typo Docker would reject at container creation.
    throw new InputError(
      `Invalid config at '${key}': '${option}' is not a value Docker accepts that keeps isolation; use ${ACCEPTED_FORMS}`,
    );
  }
  return option;
}
