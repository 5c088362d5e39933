// Rules of Database: the Go operator's (certificateRef, postgres.host and credentialsSecretRef set;
// sslMode is an enum in the schema) plus ports, replicas, the PDB budget and resources as for Server.
import { pdbRule } from '../server/rules/pdb.js';
import { resourcesRule } from '../server/rules/resources.js';
import { child, invalid, required, verdict, type Rule } from '../server/rules/types.js';
import type { StatusCause } from '../admission/review.js';
import { nameCauses } from './http-rules.js';

export function portCauses(value: unknown, field: string): StatusCause[] {
  return typeof value === 'number' && (value < 1 || value > 65535)
    ? [invalid(field, value, 'must be between 1 and 65535')]
    : [];
}

const notEmpty = (value: unknown, field: string, what: string): StatusCause[] =>
  value === '' ? [required(field, `must not be empty: ${what}`)] : nameCauses(value, field);

export const DATABASE_RULES: Rule[] = [
  ({ spec }) => {
    const postgres = child(spec, 'postgres') ?? {};
    const service = child(spec, 'service') ?? {};
    const causes: StatusCause[] = [
      ...notEmpty(spec.certificateRef, 'spec.certificateRef', 'the Certificate whose TLS Secret the pods serve'),
      ...notEmpty(
        postgres.credentialsSecretRef,
        'spec.postgres.credentialsSecretRef',
        'the Secret with username and password',
      ),
      ...portCauses(postgres.port, 'spec.postgres.port'),
      ...portCauses(service.port, 'spec.service.port'),
    ];
    if (postgres.host === '')
      causes.push(required('spec.postgres.host', 'must not be empty: the PostgreSQL host name'));
    if (typeof spec.replicas === 'number' && spec.replicas < 0) {
      causes.push(invalid('spec.replicas', spec.replicas, 'must be greater than or equal to 0'));
    }
    return verdict(causes);
  },
  pdbRule,
  resourcesRule,
];
