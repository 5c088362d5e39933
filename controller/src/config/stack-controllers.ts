// Registers the controllers of the kinds a Server references: Config, CertificateAuthority,
// Certificate and Pool. One call from app.ts, next to the Server controller.
import { DEFAULT_KEY_ALGORITHM, type KeyAlgorithm } from '@openvox/shared';
import type { Manager } from '../manager.js';
import { createConfigController, type StackControllerDeps } from './controller.js';
import { createCertificateAuthorityController } from '../certificate-authority/controller.js';
import { createCertificateController } from '../certificate/controller.js';
import { createPoolController } from '../pool/controller.js';

export interface StackOptions {
  /** Key algorithm of new CA and server keys; RSA 4096 unless a test asks for speed. */
  keyAlgorithm?: KeyAlgorithm;
}

export function registerStackControllers(mgr: Manager, deps: StackControllerDeps, options: StackOptions = {}): void {
  const keyAlgorithm = options.keyAlgorithm ?? DEFAULT_KEY_ALGORITHM;
  mgr.register(createConfigController(mgr, deps));
  mgr.register(createCertificateAuthorityController(mgr, { ...deps, keyAlgorithm }));
  mgr.register(createCertificateController(mgr, { ...deps, keyAlgorithm }));
  mgr.register(createPoolController(mgr, deps));
}
