// The image of a Server's containers and the pull secrets of its pod: the Server's own, else its Config's.
import type { Config, Server } from '@openvox/shared/runtime';
import { RenderError } from './types.js';
import { codeSource } from './code.js';

export function imageFor(server: Server, config: Config): { image: string; pullPolicy: string } {
  const own = server.spec.image;
  const repository = own?.repository || config.spec.image?.repository;
  const tag = own?.tag || config.spec.image?.tag;
  if (!repository)
    throw new RenderError(
      'NoImage',
      `neither Server ${server.metadata.name} nor Config ${config.metadata.name} sets image.repository`,
    );
  return {
    image: tag ? `${repository}:${tag}` : repository,
    pullPolicy: own?.pullPolicy || config.spec.image?.pullPolicy || 'IfNotPresent',
  };
}

/** The pod's imagePullSecrets: the Server's (else the Config's), plus the code image's, de-duplicated. */
export function pullSecretsFor(server: Server, config: Config): string[] {
  const pullSecrets = (server.spec.image?.pullSecrets ?? config.spec.image?.pullSecrets ?? [])
    .map((s) => s.name ?? '')
    .filter(Boolean);
  const code = codeSource(server, config);
  if (code?.image && code.imagePullSecret) pullSecrets.push(code.imagePullSecret);
  return [...new Set(pullSecrets)];
}
