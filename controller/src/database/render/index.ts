// Everything a Database renders, purely from the Database, the name of its certificate's Secret and the
// PostgreSQL credentials: ConfigMap, Secret, Deployment, Service, and the PDB and NetworkPolicy when enabled.
import type {
  V1ConfigMap,
  V1Deployment,
  V1NetworkPolicy,
  V1PodDisruptionBudget,
  V1Secret,
  V1Service,
} from '@kubernetes/client-node';
import type { Database } from '@openvox/shared/runtime';
import { contentHash } from '../../kube/hash.js';
import { configMapName, databaseSecretName } from '../names.js';
import { renderDeployment } from './deployment.js';
import {
  renderAuthConf,
  renderConfigIni,
  renderDatabaseIni,
  renderJettyIni,
  type PostgresCredentials,
} from './files.js';
import { metadataFor } from './metadata.js';
import { renderNetworkPolicy, renderPdb } from './policy.js';
import { renderService } from './service.js';

export { DatabaseRenderError, type PostgresCredentials } from './files.js';
export { LABEL_DATABASE } from './metadata.js';

export interface DatabaseRenderInput {
  db: Database;
  credentials: PostgresCredentials;
  tlsSecret: { name: string; data?: Record<string, string> };
}

export interface RenderedDatabase {
  configMap: V1ConfigMap;
  secret: V1Secret;
  deployment: V1Deployment;
  service: V1Service;
  pdb?: V1PodDisruptionBudget;
  networkPolicy?: V1NetworkPolicy;
}

export function renderDatabase({ db, credentials, tlsSecret }: DatabaseRenderInput): RenderedDatabase {
  const name = db.metadata.name!;
  const config = { 'auth.conf': renderAuthConf(), 'config.ini': renderConfigIni(), 'jetty.ini': renderJettyIni() };
  const database = { 'database.ini': Buffer.from(renderDatabaseIni(db, credentials), 'utf8').toString('base64') };
  const configMap: V1ConfigMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: metadataFor(db, configMapName(name)),
    data: config,
  };
  const secret: V1Secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: metadataFor(db, databaseSecretName(name)),
    type: 'Opaque',
    data: database,
  };
  // Hashed from what we render (no wait for the caches to show it) and from the live certificate Secret.
  const hashes = {
    config: contentHash({ data: config }),
    database: contentHash({ data: database }),
    tls: contentHash(tlsSecret),
  };
  const pdb = renderPdb(db);
  const networkPolicy = renderNetworkPolicy(db);
  return {
    configMap,
    secret,
    deployment: renderDeployment({ db, tlsSecret: tlsSecret.name, hashes }),
    service: renderService(db),
    ...(pdb ? { pdb } : {}),
    ...(networkPolicy ? { networkPolicy } : {}),
  };
}
