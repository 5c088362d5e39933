// Installs (or upgrades) the CRDs with server-side apply and waits until they are Established.
import {
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  loadYaml,
  type V1CustomResourceDefinition,
} from '@kubernetes/client-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { KINDS, buildCrd } from '@openvox/shared';

const FIELD_MANAGER = 'openvox-operator-installer';

export async function installCrds(kc: KubeConfig, timeoutMs = 30_000): Promise<void> {
  const api = KubernetesObjectApi.makeApiClient(kc);
  // client-node serializes known kinds through its models, whose names differ from the wire names
  // for x-kubernetes-* and friends: load the wire-shaped object into the model first.
  const crds = KINDS.map((kind) => loadYaml<V1CustomResourceDefinition>(JSON.stringify(buildCrd(kind))));
  for (const crd of crds) {
    await api.patch(crd, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
  }
  const deadline = Date.now() + timeoutMs;
  for (const crd of crds) {
    for (;;) {
      const live = await api.read<V1CustomResourceDefinition>({
        apiVersion: crd.apiVersion,
        kind: crd.kind,
        metadata: { name: crd.metadata!.name! },
      });
      if (live.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) break;
      if (Date.now() > deadline) throw new Error(`CRD ${crd.metadata!.name} not Established after ${timeoutMs} ms`);
      await sleep(200);
    }
  }
}
