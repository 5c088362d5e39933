// What the Server renderers take and give.
import type {
  V1Deployment,
  V1NetworkPolicy,
  V1PodDisruptionBudget,
  V2HorizontalPodAutoscaler,
} from '@kubernetes/client-node';
import type { Certificate, CertificateAuthority, Config, Server } from '@openvox/shared/runtime';

/**
 * Content hashes of the data the pods read; see kube/hash.ts. The autosign Secret has none: CA pods mount
 * it as a directory the kubelet refreshes, so a policy change needs no restart.
 */
export interface ContentHashes {
  config: string;
  sslCert: string;
  ca: string;
}

export interface RenderInput {
  server: Server;
  config: Config;
  certificate: Certificate;
  ca: CertificateAuthority;
  hashes: ContentHashes;
}

export interface Rendered {
  deployment: V1Deployment;
  hpa?: V2HorizontalPodAutoscaler;
  pdb?: V1PodDisruptionBudget;
  networkPolicy?: V1NetworkPolicy;
}

/** A Server that cannot be rendered (e.g. no image anywhere); reconcile reports it as phase Error. */
export class RenderError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'RenderError';
  }
}
