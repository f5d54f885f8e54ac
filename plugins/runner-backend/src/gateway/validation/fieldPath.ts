/*
 * Field paths written the way the Kubernetes API server writes them
 * (k8s.io/apimachinery field.Path): `spec.rules[0].name`, map keys in
 * brackets `metadata.labels[app]`. Findings carry these so that messages match
 * what a user would see from `kubectl apply`.
 */

export function childPath(parent: string, name: string): string {
  return parent ? `${parent}.${name}` : name;
}

export function indexPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}

export function keyPath(parent: string, key: string): string {
  return `${parent}[${key}]`;
}
