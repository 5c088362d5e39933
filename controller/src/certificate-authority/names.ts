// Names of the objects a CertificateAuthority owns and the keys inside them: the contract Server pods
// and Certificates read too, so they live in contracts/names.ts.
export {
  caDataClaimName,
  caKeySecretName,
  caPublicSecretName,
  crlSecretName,
  CA_CERT_KEY,
  CA_CRL_KEY,
  CA_KEY_KEY,
  CA_PUB_KEY,
} from '../contracts/names.js';
