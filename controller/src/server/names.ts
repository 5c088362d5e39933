// Names of the objects a Server uses and the annotations it sets (as in the Go operator, so other
// components agree). The names other kinds write come from contracts/names.ts.
import type { Certificate, CertificateAuthority } from '@openvox/shared/runtime';
import { caPublicSecretName, tlsSecretName } from '../contracts/names.js';
import { ANNOTATION_PREFIX } from '../kube/annotations.js';

export {
  ENC_CACHE_DIR_ANNOTATION,
  encSecretName,
  reportProcessorsSecretName,
  autosignSecretName,
  caDataClaimName,
  caKeySecretName,
  configMapName,
  crlSecretName,
} from '../contracts/names.js';
export const caSecretName = (ca: CertificateAuthority) =>
  ca.status?.caSecretName || caPublicSecretName(ca.metadata.name!);
export const certSecretName = (cert: Certificate) => cert.status?.secretName ?? tlsSecretName(cert.metadata.name!);

export const CONFIG_HASH = `${ANNOTATION_PREFIX}config-hash`;
export const SSL_SECRET_HASH = `${ANNOTATION_PREFIX}ssl-secret-hash`;
export const CA_SECRET_HASH = `${ANNOTATION_PREFIX}ca-secret-hash`;
export const CODE_IMAGE = `${ANNOTATION_PREFIX}code-image`;
