// `enc.json`, the settings the ENC script (enc-script.ts) reads on every call: the NodeClassifier's
// request, answer format, timeout, resolved auth headers, TLS files and cache. Pure.
import type { NodeClassifier } from '@openvox/shared/runtime';
import type { ServerLayout } from '../contracts/pod-layout.js';
import type { ResolvedCredentials } from '../http-service/credentials.js';
import { tlsSettings, type TlsSettings } from '../http-service/tls.js';

/** The classifier's timeout when the NodeClassifier sets none (also the script's own fallback). */
export const ENC_DEFAULT_TIMEOUT_SECONDS = 10;

export const DEFAULT_ENC_CACHE_DIR = '/var/cache/openvox-enc';

export interface EncSettings {
  name: string;
  url: string;
  method: 'GET' | 'POST';
  path: string;
  body: '' | 'facts' | 'certname';
  responseFormat: 'yaml' | 'json';
  timeoutSeconds: number;
  headers: Record<string, string>;
  tls: TlsSettings;
  cache: { enabled: boolean; directory: string };
  factsDir: string;
}

/** The settings of a usable NodeClassifier. */
export function encSettings(nc: NodeClassifier, credentials: ResolvedCredentials, layout: ServerLayout): EncSettings {
  const spec = nc.spec;
  const method = spec.request?.method === 'POST' ? 'POST' : 'GET';
  return {
    name: nc.metadata.name!,
    url: spec.url,
    method,
    path: spec.request?.path || '/node/{certname}',
    body: method === 'POST' ? (spec.request?.body ?? '') : '',
    responseFormat: spec.response?.format === 'json' ? 'json' : 'yaml',
    timeoutSeconds: spec.timeoutSeconds ?? ENC_DEFAULT_TIMEOUT_SECONDS,
    headers: credentials.headers,
    tls: tlsSettings(layout, credentials.clientCertificate),
    cache: { enabled: spec.cache?.enabled === true, directory: encCacheDirectory(nc) },
    factsDir: layout.factsDir,
  };
}

export function encCacheDirectory(nc: NodeClassifier | undefined): string {
  return nc?.spec.cache?.directory || DEFAULT_ENC_CACHE_DIR;
}

/**
 * The settings when the classifier cannot be used (missing, or a Secret it needs is missing): the
 * script refuses every node with this message. Failing closed: without its classifier a node would
 * get a catalog without its classes, which is worse than no catalog.
 */
export function unusableEncSettings(name: string, message: string): { name: string; error: string } {
  return { name, error: message };
}

export function renderEncSettings(settings: EncSettings | { name: string; error: string }): string {
  return `${JSON.stringify(settings, null, 2)}\n`;
}
