import { stringify } from 'yaml';
import { isSecret, redactObject, type KubernetesObject } from '../bundle';

/*
 * A Secret in a downloaded or exported file. Its values never leave the
 * backend, and the file must not pretend otherwise: `stringData: apiKey:
 * set` applied with kubectl makes a Secret whose key is the word "set". So
 * each value is a placeholder the API server refuses (`data` holds base64,
 * and a placeholder with spaces and brackets is not), and a comment above
 * the document says how to fill it in or to create the Secret with kubectl
 * instead. Imported back, the placeholders mean what "set" means: keep the
 * cluster's values.
 */

/** What an exported Secret holds in place of each value; not base64, so `kubectl apply` refuses it. */
export const SECRET_PLACEHOLDER =
  '<not exported: replace with the value in base64, see the comment above>';

/** Whether a Secret value stands for "the value is not here" (an export, a redacted view). */
export function isPlaceholderValue(value: unknown): boolean {
  return value === 'set' || value === 'not set' || value === SECRET_PLACEHOLDER;
}

const shellQuote = (value: string) =>
  /^[\w./:=@-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;

function pairs(map: Record<string, string> | undefined): string {
  return Object.entries(map ?? {})
    .map(([key, value]) => shellQuote(`${key}=${value}`))
    .join(' ');
}

/** The kubectl commands that create the Secret with its real values and the plugin's marks. */
function createCommands(secret: KubernetesObject, keys: string[]): string[] {
  const { name, namespace, labels, annotations } = secret.metadata;
  const target = `secret ${name}${
    namespace ? ` --namespace ${namespace}` : ''
  }`;
  const literals = keys.map(key => `--from-literal=${key}='<${key}>'`);
  const commands = [
    `kubectl create secret generic ${name}${
      namespace ? ` --namespace ${namespace}` : ''
    } ${literals.join(' ')}`,
  ];
  if (labels && Object.keys(labels).length > 0) {
    commands.push(`kubectl label ${target} ${pairs(labels)}`);
  }
  if (annotations && Object.keys(annotations).length > 0) {
    commands.push(`kubectl annotate ${target} ${pairs(annotations)}`);
  }
  return commands;
}

/** One Secret as a YAML document with its comment; keys not set are left out. */
export function exportedSecretYaml(object: KubernetesObject): string {
  const redacted = redactObject(object) as KubernetesObject & {
    stringData?: Record<string, string>;
  };
  const { stringData, ...rest } = redacted;
  const keys = Object.entries(stringData ?? {})
    .filter(([, state]) => state === 'set')
    .map(([key]) => key);
  if (keys.length === 0) return stringify(rest, { lineWidth: 0 });
  const document = {
    ...rest,
    data: Object.fromEntries(keys.map(key => [key, SECRET_PLACEHOLDER])),
  };
  const comment = [
    `Secret ${object.metadata.name}: its values are not in this file, and \`kubectl apply\``,
    'refuses it as it is. Replace each placeholder below with the value in base64',
    `(printf %s '<value>' | base64 -w0), or delete this document and create the Secret:`,
    ...createCommands(object, keys).map(command => `  ${command}`),
    'Imported into the Gateway tab as it is, the cluster keeps its values.',
  ];
  return `${comment.map(line => `# ${line}`).join('\n')}\n${stringify(
    document,
    { lineWidth: 0 },
  )}`;
}

/** A document of an export: Secrets as above, anything else as it is. */
export function exportedDocument(object: KubernetesObject): string {
  return isSecret(object)
    ? exportedSecretYaml(object)
    : stringify(object, { lineWidth: 0 });
}
