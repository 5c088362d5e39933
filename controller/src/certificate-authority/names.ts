// Names of the objects a CertificateAuthority owns (as in the Go operator, so pods and tools agree).
export { autosignSecretName, crlSecretName, caDataClaimName } from '../server/names.js';

export const caPublicSecretName = (ca: string): string => `${ca}-ca`;
export const caKeySecretName = (ca: string): string => `${ca}-ca-key`;

/** Secret data keys. */
export const CA_CERT_KEY = 'ca_crt.pem';
export const CA_KEY_KEY = 'ca_key.pem';
export const CA_CRL_KEY = 'ca_crl.pem';
export const CA_PUB_KEY = 'ca_pub.pem';
