// The Puppet code a compiling Server mounts: from an OCI image volume or a claim, the Server's setting over the Config's.
import type { Config, Server } from '@openvox/shared/runtime';
import { OPENVOX_IMAGE_LAYOUT } from '../../contracts/pod-layout.js';

export const DEFAULT_ENVIRONMENT_PATH = OPENVOX_IMAGE_LAYOUT.environmentPath;

type CodeSpec = NonNullable<Server['spec']['code']>;

/** The code to mount, or undefined (none set, or a CA-only Server, which compiles no catalogs). */
export function codeSource(server: Server, config: Config): CodeSpec | undefined {
  const code = server.spec.code ?? config.spec.code;
  return server.spec.server !== false && code && (code.image || code.claimName) ? code : undefined;
}

/** Where the code is mounted: the Config's environmentPath, else Puppet's default. */
export function codeMountPath(config: Config): string {
  return config.spec.puppet?.environmentPath || DEFAULT_ENVIRONMENT_PATH;
}
