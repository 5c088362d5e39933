// A NodeClassifier made ready for the Server pods: its settings with the Secrets it names read now,
// or why it cannot be used. The Config reconciler renders the result; the NodeClassifier's own
// reconciler reports it in its status. Both call this, so they cannot disagree.
import type { NodeClassifier } from '@openvox/shared/runtime';
import type { KubeClient } from '../kube/client.js';
import type { ServerLayout } from '../contracts/pod-layout.js';
import { CredentialError, ValueReader, readsValues, resolveAuth } from '../http-service/credentials.js';
import { encSettings, type EncSettings } from './settings.js';

export type ResolvedClassifier =
  | { usable: true; settings: EncSettings; readsSecrets: boolean }
  | { usable: false; reason: string; message: string; readsSecrets: boolean };

export async function resolveClassifier(
  client: KubeClient,
  nc: NodeClassifier,
  layout: ServerLayout,
): Promise<ResolvedClassifier> {
  const readsSecrets = readsValues(nc.spec);
  try {
    const credentials = await resolveAuth(new ValueReader(client, nc.metadata.namespace!), nc.spec.auth);
    return { usable: true, settings: encSettings(nc, credentials, layout), readsSecrets };
  } catch (err) {
    if (!(err instanceof CredentialError)) throw err;
    return { usable: false, reason: err.reason, message: err.message, readsSecrets };
  }
}
