// The reviewed list of kube-score findings we accept, each with its reason. The chart's README
// ("Workload linter") lists the same; test/e2e/workload-lint.test.ts fails on any other finding, on an
// entry that no longer matches anything, and on an entry the README does not name.
import type { Finding } from './kube-score.js';

/** What was scored: the chart's `helm template`, or the Server pods the controller renders. */
export type Source = 'chart' | 'server';

export interface AcceptedFinding {
  check: string;
  sources: readonly Source[];
  /** Only findings whose summary matches. */
  summary?: RegExp;
  /** Only this object (`Kind/name`). */
  object?: string;
  /** Only these containers. */
  containers?: readonly string[];
  reason: string;
}

export const ACCEPTED_FINDINGS: readonly AcceptedFinding[] = [
  {
    check: 'container-resources',
    sources: ['chart', 'server'],
    summary: /^CPU limit is not set$/,
    reason:
      'No CPU limits, on purpose: CFS throttling stalls a process even when the node has CPU to spare, so admission answers, reconciles, leader renewals and the JVM start would wait for the next period. The CPU request reserves each container its share.',
  },
  {
    check: 'container-image-pull-policy',
    sources: ['chart', 'server'],
    reason:
      'IfNotPresent with versioned tags or digests: Always would make every pod start depend on the registry. Set image.pullPolicy (chart) or spec.image.pullPolicy (Config, Server) to Always where that is wanted.',
  },
  {
    check: 'container-security-context-user-group-id',
    sources: ['server'],
    reason:
      "Server pods run as uid 1001 and gid 0 by the OpenVox Server image contract (docs/image-contract.md): the image's files and the Secret volumes (0640 root:root) are readable through gid 0. The operator's own image and chart use 10001.",
  },
  {
    check: 'pod-networkpolicy',
    sources: ['server'],
    reason:
      'The operator renders a NetworkPolicy for Server pods only when a Server asks for one (spec.networkPolicy, off by default): who connects (agents, load balancers) and where a server connects (PuppetDB, external data, code sources) is different at every site, and a guessed policy would either block agents or allow everything. Sites add their own (the pods carry the server and pool labels).',
  },
  {
    check: 'deployment-has-host-podantiaffinity',
    sources: ['server'],
    reason:
      'Replicas spread over nodes and zones by topologySpreadConstraints (ScheduleAnyway), which this check does not count; a required anti-affinity would leave replicas Pending on a small cluster.',
  },
  {
    check: 'deployment-strategy',
    sources: ['server'],
    object: 'Deployment/production-ca',
    reason:
      'A CA Server rolls out with Recreate: one pod at a time writes the CA volume (serial, inventory); two during a rolling update could sign with the same serial.',
  },
  {
    check: 'deployment-replicas',
    sources: ['server'],
    object: 'Deployment/production-ca',
    reason:
      'A CA Server has one replica (the webhook refuses more): the CA volume has one writer. Catalog Servers scale; the CA signs only new agents and can be down for a restart.',
  },
  {
    check: 'container-resources',
    sources: ['server'],
    object: 'Deployment/production-ca',
    containers: ['openvox-server'],
    summary: /^(CPU|Memory) (request|limit) is not set$/,
    reason:
      "The examples' Server sets no spec.resources: the server's CPU and memory are the user's choice (memory follows the heap in javaArgs, which the webhook derives from a memory limit when one is given); the operator does not guess. A Server that sets them (the compiler of the test) is clean.",
  },
  {
    check: 'deployment-replicas',
    sources: ['chart'],
    object: 'Deployment/openvox-operator-controller',
    reason:
      'The controller runs one replica by default: only the Lease holder reconciles, so more replicas only shorten a failover (controller.replicas). The Service that selects it carries metrics scrapes, not traffic a second pod would serve.',
  },
];

export function accepts(entry: AcceptedFinding, source: Source, finding: Finding): boolean {
  return (
    entry.check === finding.check &&
    entry.sources.includes(source) &&
    (entry.summary?.test(finding.summary) ?? true) &&
    (entry.object === undefined || entry.object === finding.object) &&
    (entry.containers === undefined || entry.containers.includes(finding.container))
  );
}
