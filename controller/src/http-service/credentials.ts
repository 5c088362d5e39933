// What the scripts of NodeClassifier and ReportProcessor send to their HTTP services: the `auth`
// method and the extra `headers`, with the values of the Secrets and ConfigMaps they name read now
// (a direct GET: the caches hold only the operator's own objects). The scripts then just set headers;
// mTLS needs no value, it uses the Server's own Puppet certificate in the pod.
import type { HttpAuth, HttpHeader } from '@openvox/shared/runtime';
import type { KubeClient, KubeObject } from '../kube/client.js';
import { CONFIG_MAP, SECRET } from '../kube/resources.js';

/** A reference that cannot be resolved; `reason` becomes the condition reason, the message names the field. */
export class CredentialError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'CredentialError';
  }
}

export interface ResolvedCredentials {
  /** Header name -> value, auth first, then the extra headers in order (a later one wins). */
  headers: Record<string, string>;
  /** Present the Server's Puppet certificate (auth.mtls). */
  clientCertificate: boolean;
}

type DataObject = KubeObject & { data?: Record<string, string> };

// A value read from a file of a Secret or ConfigMap often ends in a newline, which no header may carry.
const oneLine = (value: string) => value.replace(/\r?\n$/, '');

/** Reads the keys of users' Secrets and ConfigMaps in one namespace. */
export class ValueReader {
  constructor(
    private readonly client: KubeClient,
    private readonly namespace: string,
  ) {}

  async secretKey(name: string, key: string, field: string): Promise<string> {
    const secret = await this.client.get<DataObject>(SECRET, this.namespace, name);
    if (!secret) throw new CredentialError('SecretNotFound', `${field}: Secret ${name} not found`);
    const data = secret.data?.[key];
    if (data === undefined)
      throw new CredentialError('SecretKeyNotFound', `${field}: Secret ${name} has no key ${key}`);
    return oneLine(Buffer.from(data, 'base64').toString('utf8'));
  }

  async configMapKey(name: string, key: string, field: string): Promise<string> {
    const cm = await this.client.get<DataObject>(CONFIG_MAP, this.namespace, name);
    if (!cm) throw new CredentialError('ConfigMapNotFound', `${field}: ConfigMap ${name} not found`);
    const data = cm.data?.[key];
    if (data === undefined)
      throw new CredentialError('ConfigMapKeyNotFound', `${field}: ConfigMap ${name} has no key ${key}`);
    return oneLine(data);
  }
}

/** The headers and TLS choice of `auth` (at most one method; the API enforces it). */
export async function resolveAuth(read: ValueReader, auth: HttpAuth | undefined): Promise<ResolvedCredentials> {
  const headers: Record<string, string> = {};
  if (auth?.token) {
    const { header, secretKeyRef: ref } = auth.token;
    headers[header] = await read.secretKey(ref.name, ref.key, 'spec.auth.token.secretKeyRef');
  } else if (auth?.bearer) {
    const ref = auth.bearer.secretKeyRef;
    headers.Authorization = `Bearer ${await read.secretKey(ref.name, ref.key, 'spec.auth.bearer.secretKeyRef')}`;
  } else if (auth?.basic) {
    const ref = auth.basic.secretRef;
    const field = 'spec.auth.basic.secretRef';
    const user = await read.secretKey(ref.name, ref.usernameKey ?? 'username', field);
    const password = await read.secretKey(ref.name, ref.passwordKey ?? 'password', field);
    headers.Authorization = `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
  }
  return { headers, clientCertificate: auth?.mtls === true };
}

/** The extra headers, each from its value, Secret key or ConfigMap key. */
export async function resolveHeaders(
  read: ValueReader,
  headers: readonly HttpHeader[] | undefined,
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [i, h] of (headers ?? []).entries()) {
    const field = `spec.headers[${i}].valueFrom`;
    const secret = h.valueFrom?.secretKeyRef;
    const cm = h.valueFrom?.configMapKeyRef;
    if (secret) out[h.name] = await read.secretKey(secret.name, secret.key, `${field}.secretKeyRef`);
    else if (cm) out[h.name] = await read.configMapKey(cm.name, cm.key, `${field}.configMapKeyRef`);
    else out[h.name] = h.value ?? '';
  }
  return out;
}

/** Whether a spec reads any Secret or ConfigMap (then its owner is rendered again now and then). */
export function readsValues(spec: { auth?: HttpAuth; headers?: readonly HttpHeader[] }): boolean {
  const a = spec.auth;
  return !!(a?.token || a?.bearer || a?.basic || (spec.headers ?? []).some((h) => h.valueFrom));
}
