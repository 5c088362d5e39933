// Why a Server's pods are not Ready, in the kubelet's words, for the Ready condition and an Event:
// an image that cannot be pulled, a crashing container, a bad container config, failing probes (the
// kubelet's Unhealthy Events, probe-problems.ts), no node to run on.
// Pure: pods in, the first problems out (pods starting normally are no problem).
import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import type { ProbeEventView } from '../kube/probe-event-view.js';
import { probeFailure } from './probe-problems.js';
import { APP_NAME } from './render/index.js';

export interface PodProblem {
  /** CamelCase reason of the Ready condition; the kubelet's own words are in the message. */
  reason: 'ImagePullFailed' | 'ContainerCrashing' | 'ContainerConfigError' | 'ProbeFailing' | 'Unschedulable';
  message: string;
}

// ErrImagePull and ImagePullBackOff alternate while the kubelet retries: one reason for both, so the
// Server's Event is not repeated on every retry.
const WAITING: Record<string, PodProblem['reason']> = {
  ErrImagePull: 'ImagePullFailed',
  ImagePullBackOff: 'ImagePullFailed',
  InvalidImageName: 'ImagePullFailed',
  ErrImageNeverPull: 'ImagePullFailed',
  CrashLoopBackOff: 'ContainerCrashing',
  RunContainerError: 'ContainerCrashing',
  CreateContainerConfigError: 'ContainerConfigError',
  CreateContainerError: 'ContainerConfigError',
};

const MAX_MESSAGE = 300;
const clip = (text: string) => (text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text);

function containerProblem(pod: string, s: V1ContainerStatus, image: string | undefined): PodProblem | undefined {
  const waiting = s.state?.waiting;
  const reason = waiting?.reason ? WAITING[waiting.reason] : undefined;
  if (!reason) return undefined;
  const detail = waiting!.message ? `: ${waiting!.message}` : '';
  const what = reason === 'ImagePullFailed' && image ? ` (image ${image})` : '';
  return { reason, message: clip(`pod ${pod} container ${s.name}${what}: ${waiting!.reason}${detail}`) };
}

/** Problems of the live pods, one per pod at most, in pod name order; `probeEvents` are a pod's Unhealthy Events. */
export function podProblems(
  pods: readonly V1Pod[],
  probeEvents: (pod: V1Pod) => readonly ProbeEventView[] = () => [],
): PodProblem[] {
  const problems: PodProblem[] = [];
  for (const pod of [...pods].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''))) {
    if (pod.metadata?.deletionTimestamp) continue;
    const name = pod.metadata?.name ?? '';
    const images = new Map(
      [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c) => [c.name, c.image]),
    );
    const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
    const found = statuses.map((s) => containerProblem(name, s, images.get(s.name))).find((p) => p !== undefined);
    if (found) {
      problems.push(found);
      continue;
    }
    const probe = probeFailure(pod, probeEvents(pod));
    if (probe) {
      problems.push({ reason: 'ProbeFailing', message: clip(`pod ${name} container ${APP_NAME}: ${probe}`) });
      continue;
    }
    const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
      problems.push({
        reason: 'Unschedulable',
        message: clip(`pod ${name} cannot be scheduled: ${scheduled.message ?? ''}`),
      });
    }
  }
  return problems;
}
