// The PostgreSQL credentials of a Database: keys `username` and `password` of the Secret that
// spec.postgres.credentialsSecretRef names. A direct GET: the Secret cache holds only the operator's own
// Secrets, and the user's Secret carries none of our labels.
import type { Database } from '@openvox/shared/runtime';
import type { KubeClient, KubeObject } from '../kube/client.js';
import { SECRET } from '../kube/resources.js';
import type { PostgresCredentials } from './render/index.js';

export type CredentialsOutcome =
  { found: true; credentials: PostgresCredentials } | { found: false; reason: string; message: string };

export const CREDENTIALS_SECRET_NOT_FOUND = 'CredentialsSecretNotFound';
export const CREDENTIALS_KEY_MISSING = 'CredentialsKeyMissing';

const FIELD = 'spec.postgres.credentialsSecretRef';

export async function readCredentials(client: KubeClient, db: Database): Promise<CredentialsOutcome> {
  const name = db.spec.postgres.credentialsSecretRef;
  const secret = await client.get<KubeObject & { data?: Record<string, string> }>(SECRET, db.metadata.namespace, name);
  if (!secret) {
    return {
      found: false,
      reason: CREDENTIALS_SECRET_NOT_FOUND,
      message: `${FIELD}: Secret ${name} not found; it needs the keys username and password`,
    };
  }
  const value = (key: string) => {
    const data = secret.data?.[key];
    // A value written with `echo` into a file ends in a newline that is no part of the password.
    return data === undefined
      ? undefined
      : Buffer.from(data, 'base64')
          .toString('utf8')
          .replace(/\r?\n$/, '');
  };
  const username = value('username');
  const password = value('password');
  const missing = [username === undefined ? 'username' : '', password === undefined ? 'password' : ''].filter(Boolean);
  if (missing.length) {
    return {
      found: false,
      reason: CREDENTIALS_KEY_MISSING,
      message: `${FIELD}: Secret ${name} has no key ${missing.join(' and no key ')}`,
    };
  }
  return { found: true, credentials: { username: username!, password: password! } };
}
