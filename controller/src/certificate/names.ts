// Names of the objects a Certificate owns and the keys inside them: Server pods read them too, so
// they live in contracts/names.ts. The certificate's own subject names are in subject-names.ts.
export { CA_CERT_KEY, TLS_CERT_KEY, TLS_KEY_KEY, tlsSecretName } from '../contracts/names.js';
