// What the benchmark waits on, from a watch of the namespace's Servers and Deployments instead of listing
// thousands of objects every few hundred milliseconds (at 5,000 Servers those lists were a load of their
// own on the API server the controller shares two CPUs with).
import { RestartingInformer, connect, listAll, type ListedObject } from '@openvox/shared/informer';
import { API_VERSION } from '@openvox/shared';

export interface Watched extends ListedObject {
  metadata?: ListedObject['metadata'] & { uid?: string; generation?: number; ownerReferences?: { uid?: string }[] };
  status?: { phase?: string; observedGeneration?: number };
}

/** How many of `names` have an owned Deployment and a Server status for their generation. */
export function countConverged(
  names: readonly string[],
  server: (name: string) => Watched | undefined,
  deployment: (name: string) => Watched | undefined,
): number {
  let n = 0;
  for (const name of names) {
    const s = server(name);
    const d = deployment(name);
    if (
      s?.status?.phase &&
      s.status.observedGeneration === s.metadata?.generation &&
      d?.metadata?.ownerReferences?.[0]?.uid === s.metadata?.uid
    )
      n++;
  }
  return n;
}

const quiet = { info: () => undefined, warn: () => undefined };

export class WatchedNamespace {
  private constructor(
    private readonly namespace: string,
    private readonly servers: RestartingInformer<Watched>,
    private readonly deployments: RestartingInformer<Watched>,
  ) {}

  static async start(kubeconfig: string, namespace: string): Promise<WatchedNamespace> {
    const connection = await connect(kubeconfig);
    const watch = (path: string) =>
      new RestartingInformer<Watched>({
        kind: path,
        namespace,
        path,
        connection,
        list: () => listAll<Watched>(connection, path),
        logger: quiet,
      });
    const watched = new WatchedNamespace(
      namespace,
      watch(`/apis/${API_VERSION}/namespaces/${namespace}/servers`),
      watch(`/apis/apps/v1/namespaces/${namespace}/deployments`),
    );
    await Promise.all([watched.servers.start(), watched.deployments.start()]);
    return watched;
  }

  deploymentCount(): number {
    return this.deployments.list().length;
  }

  /** Servers of `names` with an owned Deployment and a status for their generation. */
  converged(names: readonly string[]): number {
    return countConverged(
      names,
      (name) => this.servers.get(this.namespace, name),
      (name) => this.deployments.get(this.namespace, name),
    );
  }

  async stop(): Promise<void> {
    await Promise.all([this.servers.stop(), this.deployments.stop()]);
  }
}
