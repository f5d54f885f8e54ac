import {
  RuntimeError,
  isRuntimeError,
  runtimeError,
} from '@internal/plugin-runner-node';
import { classifyError } from '../../../errors';
import { KubernetesApiError } from '../../../kubernetes/KubernetesApiError';

/*
 * An API server's answer as a categorized RuntimeError. The classifier
 * already knows every Status reason (errors/); what it cannot know is what
 * the runtime was doing, which makes the message one a user can act on.
 */

export interface ApiCallContext {
  cluster: string;
  namespace: string;
  /** What was asked, e.g. `create Deployment runner-hello-http-1a2b3c4d`. */
  action: string;
  entityRef?: string;
  entityName?: string;
}

export function apiFailure(
  error: unknown,
  context: ApiCallContext,
): RuntimeError {
  if (isRuntimeError(error)) return error as RuntimeError;
  const values = {
    cluster: context.cluster,
    namespace: context.namespace,
    name: context.entityName,
  };
  if (error instanceof KubernetesApiError) {
    const detail = `${context.action} in namespace ${context.namespace} of cluster ${context.cluster}: ${error.message}`;
    if (error.code === 403 && /exceeded quota/i.test(error.message)) {
      return runtimeError(
        'K8S_QUOTA_EXCEEDED',
        detail,
        { values },
        { cause: error },
      );
    }
    if (error.code === 403) {
      return runtimeError(
        'K8S_FORBIDDEN',
        detail,
        {
          userMessage: `The runner's identity on cluster ${context.cluster} may not ${context.action} in namespace ${context.namespace}.`,
          remediation: `Bind the runner's service account to the Role in docs/kubernetes-rbac.md in namespace \`${context.namespace}\`, or run the component in a namespace that has it (\`runner.components.<name>.namespace\`). Check with \`kubectl auth can-i --list -n ${context.namespace} --as system:serviceaccount:<namespace>:<service-account>\`.`,
          values: { name: context.entityName },
        },
        { cause: error },
      );
    }
    if (error.kind === 'timeout') {
      return runtimeError(
        'OPERATION_TIMEOUT',
        detail,
        { values },
        { cause: error },
      );
    }
    if (error.kind !== 'status') {
      return runtimeError(
        'K8S_UNREACHABLE',
        detail,
        { values },
        { cause: error },
      );
    }
    // A Status: the classifier's table of reasons.
    const failure = classifyError(
      {
        kind: 'Status',
        code: error.code,
        reason: error.reason,
        message: detail,
        details: { causes: error.causes },
      },
      {
        operation: 'kubernetes',
        cluster: context.cluster,
        entityRef: context.entityRef,
      },
    );
    return new RuntimeError(failure, { cause: error });
  }
  const failure = classifyError(error, {
    operation: 'kubernetes',
    cluster: context.cluster,
    entityRef: context.entityRef,
  });
  return new RuntimeError(failure, { cause: error });
}

/** Runs one API call; its failure leaves as a categorized RuntimeError. */
export async function apiCall<T>(
  context: ApiCallContext,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw apiFailure(error, context);
  }
}
