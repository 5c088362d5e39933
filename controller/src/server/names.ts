// Names of the objects a Server uses and creates (kept as in the Go operator so other components agree).
import type { Certificate, CertificateAuthority } from '@openvox/shared';

export const configMapName = (configRef: string) => `${configRef}-config`;
export const caSecretName = (ca: CertificateAuthority) => ca.status?.caSecretName || `${ca.metadata.name}-ca`;
export const crlSecretName = (caName: string) => `${caName}-ca-crl`;
export const caDataClaimName = (caName: string) => `${caName}-data`;
export const autosignSecretName = (caName: string) => `${caName}-autosign-policy`;
export const certSecretName = (cert: Certificate) => cert.status?.secretName ?? `${cert.metadata.name}-tls`;

export const ANNOTATION_PREFIX = 'openvox.voxpupuli.org/';
export const CONFIG_HASH = `${ANNOTATION_PREFIX}config-hash`;
export const SSL_SECRET_HASH = `${ANNOTATION_PREFIX}ssl-secret-hash`;
export const CA_SECRET_HASH = `${ANNOTATION_PREFIX}ca-secret-hash`;
export const AUTOSIGN_HASH = `${ANNOTATION_PREFIX}autosign-policy-hash`;
export const CODE_IMAGE = `${ANNOTATION_PREFIX}code-image`;
/** On owned objects: hash of the last applied desired state (lets resync skip unchanged objects). */
export const APPLIED_HASH = `${ANNOTATION_PREFIX}applied-hash`;
