// Warns when an enabled PDB's minAvailable leaves no pod to evict: a node drain would block forever.
import { child, isInt32, verdict, type Rule } from './types.js';

/** The replica count a PDB protects: minReplicas when autoscaling is on, else replicas. */
function replicaCount(spec: Record<string, unknown>): number | undefined {
  const hpa = child(spec, 'autoscaling');
  const count = hpa?.enabled === true ? hpa.minReplicas : spec.replicas;
  return isInt32(count) ? count : undefined;
}

/** minAvailable as a pod count: a percentage of the replica count, rounded up (as the disruption controller does). */
export function minAvailablePods(minAvailable: unknown, replicas: number): number | undefined {
  if (isInt32(minAvailable)) return minAvailable;
  if (typeof minAvailable === 'string') {
    const match = /^([0-9]+)%$/.exec(minAvailable);
    if (match) return Math.ceil((Number(match[1]) * replicas) / 100);
  }
  return undefined;
}

export const pdbWarning: Rule = ({ spec }) => {
  const pdb = child(spec, 'pdb');
  if (pdb?.enabled !== true) return verdict();
  const replicas = replicaCount(spec);
  if (replicas === undefined || replicas < 1) return verdict();
  const pods = minAvailablePods(pdb.minAvailable, replicas);
  if (pods === undefined || pods < replicas) return verdict();
  return verdict(
    [],
    [
      `spec.pdb.minAvailable: ${String(pdb.minAvailable)} keeps all ${replicas} replica(s) available; a node drain would block forever`,
    ],
  );
};
