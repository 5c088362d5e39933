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

/**
 * What the Config's NodeClassifier and ReportProcessors add to compiling pods, as the Config rendered
 * it (its `{config}-enc` and `{config}-report-processors` Secrets). Both are directory mounts the
 * kubelet refreshes, and their scripts read their settings on every call: no hash, no restart.
 */
export interface Integrations {
  /** Mount `{config}-enc`; an emptyDir at cacheDirectory when the classifier caches answers. */
  enc?: { cacheDirectory?: string };
  /** Mount `{config}-report-processors` where puppetserver loads report processors. */
  reportProcessors?: boolean;
}

export interface RenderInput {
  server: Server;
  config: Config;
  certificate: Certificate;
  ca: CertificateAuthority;
  hashes: ContentHashes;
  integrations?: Integrations;
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
