import type { ErrorCode, ErrorCodeInfo } from './types';

/**
 * Rows of the code table for the Kubernetes runtime: the registry the cluster
 * pulls from, and what pods, ReplicaSets and Jobs report when a workload
 * cannot run. Keyed by code so that the compiler rejects a row for a code
 * that does not exist.
 */
export const KUBERNETES_CODES = {
  REGISTRY_UNREACHABLE: {
    category: 'image',
    severity: 'high',
    origin: 'platform',
    recoverable: true,
    userMessage:
      'The image could not be sent to the registry: the registry did not answer.',
    remediation:
      "Check that the registry `<registry>` of cluster `<cluster>` (`runner.kubernetes.clusters[].registry`) answers from the backend's host (`curl -sS http://<registry>/v2/`), then start the instance again.",
  },
  REGISTRY_PUSH_REJECTED: {
    category: 'image',
    severity: 'high',
    origin: 'user',
    recoverable: false,
    userMessage:
      'The registry refused the image: its quota or storage is full, the repository is read-only, or the image is too large.',
    remediation:
      "Read the registry's answer in the detail. Free space or raise the quota of the repository for `<image>` on `<registry>`, or point `runner.kubernetes.clusters[].registry` of cluster `<cluster>` at a registry that accepts pushes.",
  },
  K8S_IMAGE_PULL_FAILED: {
    category: 'image',
    severity: 'high',
    origin: 'user',
    recoverable: false,
    userMessage:
      "The cluster's node could not pull the image (ErrImagePull / ImagePullBackOff).",
    remediation:
      "Check that the nodes of cluster `<cluster>` reach the registry under the name the pod uses (`runner.kubernetes.clusters[].registry.pullHost`), that `<image>` exists there, and that private registries have an image pull secret. `kubectl describe pod -l backstage.io/kubernetes-id=<name>` shows the kubelet's own error.",
  },
  K8S_CRASH_LOOP: {
    category: 'container',
    severity: 'high',
    origin: 'user',
    recoverable: false,
    userMessage:
      'The container keeps exiting and Kubernetes keeps restarting it (CrashLoopBackOff).',
    remediation:
      "Read the previous run's log on the Runner tab (or `kubectl logs --previous -l backstage.io/kubernetes-id=<name>`) for the application's own error. Exit code 1 is usually an application error, 126/127 a command that is not executable or not found, 137 a kill.",
  },
  K8S_OOM_KILLED: {
    category: 'oom',
    severity: 'high',
    origin: 'user',
    recoverable: false,
    userMessage:
      "A pod's container was killed because it used more memory than its limit (OOMKilled).",
    remediation:
      "Raise `runner.components.<name>.docker.resourceLimits.memory` (the pod's memory limit and request), or lower the application's memory use (`NODE_OPTIONS=--max-old-space-size=…`, `-Xmx`). The instance's metrics show the memory before the kill.",
  },
  K8S_POD_CONFIG_INVALID: {
    category: 'container',
    severity: 'high',
    origin: 'user',
    recoverable: false,
    userMessage:
      "The kubelet refused to start the container with its configuration (CreateContainerConfigError), e.g. the image's USER is root or a name it cannot check against runAsNonRoot.",
    remediation:
      "Give the image a numeric non-root user (`USER 10001:10001` in the Dockerfile), or read the kubelet's reason in the detail (`kubectl describe pod -l backstage.io/kubernetes-id=<name>`).",
  },
  K8S_UNSCHEDULABLE: {
    category: 'resource-limit',
    severity: 'high',
    origin: 'user',
    recoverable: false,
    userMessage:
      "No node of the cluster can take the pod; the scheduler's reason is in the detail.",
    remediation:
      'Lower `runner.components.<name>.docker.resourceLimits` (memory and cpus are the pod\'s requests) below what one node has free (`kubectl describe nodes`, "Allocatable"), or add nodes to cluster `<cluster>`.',
  },
  K8S_QUOTA_EXCEEDED: {
    category: 'resource-limit',
    severity: 'high',
    origin: 'user',
    recoverable: false,
    userMessage:
      "The namespace's ResourceQuota has no room for the workload's pods.",
    remediation:
      "Stop other instances in the namespace, lower `runner.components.<name>.docker.resourceLimits`, or ask the cluster's administrators to raise the quota (`kubectl describe resourcequota -n <namespace>`).",
  },
  K8S_JOB_FAILED: {
    category: 'container',
    severity: 'high',
    origin: 'user',
    recoverable: false,
    userMessage: "The run-to-completion job's container exited with an error.",
    remediation:
      "Read the run log on the Runner tab for the application's own error (`kubectl logs job/<job>`); the exit code is in the detail.",
  },
  K8S_JOB_DEADLINE_EXCEEDED: {
    category: 'timeout',
    severity: 'medium',
    origin: 'user',
    recoverable: false,
    userMessage:
      'The run-to-completion job ran longer than its run timeout, and Kubernetes ended it (DeadlineExceeded).',
    remediation:
      "This is the configured limit at work (the Job's `activeDeadlineSeconds`). Raise or remove `runner.components.<name>.docker.runTimeout` if the component should run longer.",
  },
  K8S_ROLLOUT_STALLED: {
    category: 'timeout',
    severity: 'medium',
    origin: 'platform',
    recoverable: true,
    userMessage:
      'The Deployment made no progress within its progress deadline (ProgressDeadlineExceeded).',
    remediation:
      'Look at the pods and events of the workload (`kubectl describe deployment -l backstage.io/kubernetes-id=<name>`); a busy cluster may need a retry.',
  },
} satisfies Partial<Record<ErrorCode, Omit<ErrorCodeInfo, 'code'>>>;
