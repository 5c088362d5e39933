// Pod template annotations: content hashes of what the pods read, so a change rolls the pods.
import { CA_SECRET_HASH, CODE_IMAGE, CONFIG_HASH, SSL_SECRET_HASH } from '../names.js';
import type { RenderInput } from './types.js';
import { codeSource } from './code.js';

export function podAnnotations({ server, config, hashes }: RenderInput): Record<string, string> {
  const annotations: Record<string, string> = {
    [CONFIG_HASH]: hashes.config,
    [SSL_SECRET_HASH]: hashes.sslCert,
    [CA_SECRET_HASH]: hashes.ca,
  };
  const code = codeSource(server, config);
  if (code?.image) annotations[CODE_IMAGE] = code.image;
  return annotations;
}
