// The examples' CA stack in a test namespace, with a CA Server whose JVM starts quickly on a 2-core node.
import { join } from 'node:path';
import { REPO_ROOT } from '../cluster/paths.js';
import { kubectlOk } from './kubectl.js';
import { API } from './objects.js';

/** Small heap, C1 only and the serial collector: a quicker start for a 2-core node running several. */
export const SMALL_JAVA_ARGS = '-Xms256m -Xmx768m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC';

/** examples/ CertificateAuthority, Config, Certificate, Pools and SigningPolicy, and the CA Server production-ca. */
export function applyExampleCa(ns: string): void {
  for (const file of ['certificate-authority', 'config', 'certificate', 'pools', 'signing-policy']) {
    kubectlOk(['apply', '-n', ns, '-f', join(REPO_ROOT, 'examples', `${file}.yaml`)]);
  }
  kubectlOk(['apply', '-n', ns, '-f', '-'], {
    apiVersion: API,
    kind: 'Server',
    metadata: { name: 'production-ca', namespace: ns },
    spec: {
      configRef: 'production',
      certificateRef: 'production-cert',
      poolRefs: ['production-ca'],
      ca: true,
      javaArgs: SMALL_JAVA_ARGS,
    },
  });
}
