// Names of the objects a Database owns. Deployment, Service and PodDisruptionBudget share
// `{database}-openvoxdb` (contracts/names.ts: a Config reads the Service's name for its URL).
import { databaseObjectName } from '../contracts/names.js';

export { databaseObjectName };
export const networkPolicyName = (database: string): string => `${databaseObjectName(database)}-netpol`;
/** config.ini, jetty.ini and auth.conf. */
export const configMapName = (database: string): string => `${databaseObjectName(database)}-config`;
/** database.ini: the PostgreSQL connection with the user's credentials, so a Secret. */
export const databaseSecretName = (database: string): string => `${databaseObjectName(database)}-database`;
