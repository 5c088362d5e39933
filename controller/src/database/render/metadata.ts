// Labels, selector and owner of everything a Database renders. Not the Server's labels: the Server pod
// informer selects `openvox.voxpupuli.org/server`, and a Database pod is no Server pod.
import type { V1ObjectMeta } from '@kubernetes/client-node';
import { LABEL_INSTANCE, LABEL_MANAGED_BY, LABEL_NAME, MANAGER, type Database } from '@openvox/shared/runtime';
import { controllerReference } from '../../kube/owner-reference.js';
import { databaseObjectName } from '../names.js';

export const LABEL_DATABASE = 'openvox.voxpupuli.org/database';
export const APP_NAME = 'openvoxdb';

/** The Deployment's selector: immutable once created, so only the Database's own label. */
export function selectorFor(db: Database): Record<string, string> {
  return { [LABEL_DATABASE]: db.metadata.name! };
}

export function labelsFor(db: Database): Record<string, string> {
  return {
    [LABEL_NAME]: APP_NAME,
    [LABEL_INSTANCE]: db.metadata.name!,
    [LABEL_MANAGED_BY]: MANAGER,
    ...selectorFor(db),
  };
}

export function metadataFor(db: Database, name: string = databaseObjectName(db.metadata.name!)): V1ObjectMeta {
  return {
    name,
    namespace: db.metadata.namespace,
    labels: labelsFor(db),
    ownerReferences: [controllerReference('Database', db.metadata)],
  };
}
