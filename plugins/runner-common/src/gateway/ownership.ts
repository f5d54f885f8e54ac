/**
 * Labels and annotations that mark the objects the runner plugin writes.
 * The plugin lists an entity's objects by these labels and never touches an
 * object that does not carry them.
 *
 * @public
 */
export const GATEWAY_OWNERSHIP = {
  /** Label present on every object the plugin manages. */
  managedByLabel: 'runner.backstage.io/managed-by',
  /** Value of {@link GATEWAY_OWNERSHIP.managedByLabel}. */
  managedByValue: 'backstage-runner',
  /**
   * Label naming the owning entity in a label-safe form (a readable prefix
   * plus a short hash of the entity ref), usable in label selectors.
   */
  entityLabel: 'runner.backstage.io/entity',
  /** Annotation holding the exact owning entity ref, e.g. `component:default/hello-http`. */
  entityRefAnnotation: 'runner.backstage.io/entity-ref',
  /** Annotation naming the template (provider or `httproute`) that produced the object. */
  templateAnnotation: 'runner.backstage.io/template',
  /**
   * Label naming the bundle an object belongs to: the `name` of the template
   * input, so that a provider's six objects (or a route) are listed, edited,
   * exported and deleted together.
   */
  bundleLabel: 'runner.backstage.io/bundle',
} as const;
