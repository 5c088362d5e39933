// Hardening of the pod and its containers: non-root, no privilege escalation, no capabilities, seccomp.
import type {
  V1Container,
  V1PodSecurityContext,
  V1ResourceRequirements,
  V1SecurityContext,
} from '@kubernetes/client-node';
import type { Config } from '@openvox/shared/runtime';

export const POD_SECURITY: V1PodSecurityContext = {
  runAsNonRoot: true,
  runAsUser: 1001,
  runAsGroup: 0,
  seccompProfile: { type: 'RuntimeDefault' },
};

/**
 * Read-only root unless the Config turns it off: the image contract (docs/image-contract.md) has the
 * server write only below the pod's emptyDirs and volumes. A Config stored before the default became
 * true without the field set reads as true too.
 */
export function containerSecurity(config: Config): V1SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: config.spec.readOnlyRootFilesystem !== false,
    runAsNonRoot: true,
    capabilities: { drop: ['ALL'] },
  };
}

/** The helper containers write only to volumes, so their root filesystem is always read-only. */
export function asHelper(
  container: V1Container,
  security: V1SecurityContext,
  resources: V1ResourceRequirements,
): V1Container {
  return { ...container, securityContext: { ...security, readOnlyRootFilesystem: true }, resources };
}
