// A ReportProcessor made ready for the Server pods: its endpoint with the Secrets and ConfigMaps it
// names read now, or why it cannot be used (it is then left out; the Config's other endpoints stay).
// The Config reconciler renders the result; the ReportProcessor's reconciler reports it in its status.
import type { ReportProcessor } from '@openvox/shared/runtime';
import type { KubeClient } from '../kube/client.js';
import type { ServerLayout } from '../contracts/pod-layout.js';
import { CredentialError, ValueReader, readsValues, resolveAuth, resolveHeaders } from '../http-service/credentials.js';
import { reportEndpoint, type ReportEndpoint } from './settings.js';

export type ResolvedProcessor =
  | { usable: true; endpoint: ReportEndpoint; readsSecrets: boolean }
  | { usable: false; reason: string; message: string; readsSecrets: boolean };

export async function resolveProcessor(
  client: KubeClient,
  rp: ReportProcessor,
  layout: ServerLayout,
): Promise<ResolvedProcessor> {
  const readsSecrets = readsValues(rp.spec);
  try {
    const read = new ValueReader(client, rp.metadata.namespace!);
    const auth = await resolveAuth(read, rp.spec.auth);
    // The extra headers go after auth: a user who sets Authorization as a header means it.
    const headers = { ...auth.headers, ...(await resolveHeaders(read, rp.spec.headers)) };
    return { usable: true, endpoint: reportEndpoint(rp, { ...auth, headers }, layout), readsSecrets };
  } catch (err) {
    if (!(err instanceof CredentialError)) throw err;
    return { usable: false, reason: err.reason, message: err.message, readsSecrets };
  }
}
