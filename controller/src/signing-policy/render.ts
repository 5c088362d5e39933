// `{ca}-autosign-policy`, which CA pods mount as their autosign directory: the policy file and the
// script puppetserver runs for each CSR. Owned by the CA (deleted with it), labelled like the CA's
// other Secrets so the caches see it.
import type { V1Secret } from '@kubernetes/client-node';
import { LABEL_CA, LABEL_MANAGED_BY, LABEL_NAME, MANAGER, type CertificateAuthority } from '@openvox/shared/runtime';
import { AUTOSIGN_EXECUTABLE_KEY, AUTOSIGN_POLICY_KEY, autosignSecretName } from '../contracts/names.js';
import { controllerReference } from '../kube/owner-reference.js';
import { AUTOSIGN_SCRIPT } from './autosign-script.js';

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

export function autosignSecret(ca: CertificateAuthority, policyFile: string): V1Secret {
  const name = ca.metadata.name!;
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: autosignSecretName(name),
      namespace: ca.metadata.namespace,
      labels: { [LABEL_NAME]: 'openvox-server', [LABEL_MANAGED_BY]: MANAGER, [LABEL_CA]: name },
      ownerReferences: [controllerReference('CertificateAuthority', ca.metadata)],
    },
    type: 'Opaque',
    // `data`, not `stringData`: stringData is write-only and would never compare equal on re-apply.
    data: { [AUTOSIGN_POLICY_KEY]: base64(policyFile), [AUTOSIGN_EXECUTABLE_KEY]: base64(AUTOSIGN_SCRIPT) },
  };
}
