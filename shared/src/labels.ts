// Label and annotation keys shared by the controller, the webhook and the tests.
export const LABEL_NAME = 'app.kubernetes.io/name';
export const LABEL_INSTANCE = 'app.kubernetes.io/instance';
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
export const LABEL_SERVER = 'openvox.voxpupuli.org/server';
export const LABEL_CONFIG = 'openvox.voxpupuli.org/config';
export const LABEL_CERTIFICATE = 'openvox.voxpupuli.org/certificate';
export const LABEL_CA = 'openvox.voxpupuli.org/certificateauthority';
export const POOL_LABEL_PREFIX = 'openvox.voxpupuli.org/pool-';
export const MANAGER = 'openvox-operator';
export const FIELD_MANAGER = 'openvox-operator';

export function poolLabel(pool: string): string {
  return `${POOL_LABEL_PREFIX}${pool}`;
}
