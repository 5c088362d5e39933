// Rules of Pool.route (the Go operator's CEL rules, said by the webhook with every other cause) and
// warnings for the fields of older Go releases that are accepted but ignored.
import { GATEWAY_REQUIRED, HOSTNAME_REQUIRED } from '@openvox/shared';
import { SUBDOMAIN_RULE, isDnsSubdomain } from '../server/rules/names.js';
import { child, invalid, required, verdict, type Rule } from '../server/rules/types.js';
import type { StatusCause } from '../admission/review.js';
import { nameCauses } from './http-rules.js';

export const ROUTE_RULES: Rule[] = [
  ({ spec }) => {
    const route = child(spec, 'route');
    if (!route) return verdict();
    const causes: StatusCause[] = [];
    const { hostname } = route;
    const gateway = child(route, 'gatewayRef');
    if (route.enabled === true && (typeof hostname !== 'string' || hostname === '')) {
      causes.push(required('spec.route.hostname', HOSTNAME_REQUIRED));
    } else if (typeof hostname === 'string' && hostname !== '' && !isDnsSubdomain(hostname)) {
      causes.push(invalid('spec.route.hostname', hostname, `must be a DNS name: ${SUBDOMAIN_RULE}`));
    }
    if (route.enabled === true && (!gateway || typeof gateway.name !== 'string' || gateway.name === '')) {
      causes.push(required('spec.route.gatewayRef.name', GATEWAY_REQUIRED));
    }
    if (gateway)
      causes.push(...nameCauses(gateway.name === '' ? undefined : gateway.name, 'spec.route.gatewayRef.name'));
    return verdict(causes);
  },
  ({ spec }) =>
    verdict(
      [],
      (['configRef', 'selector'] as const)
        .filter((k) => spec[k] !== undefined)
        .map(
          (k) =>
            `spec.${k} is ignored (a field of older Go operator releases): a Pool's Service selects the pods of the Servers that list the Pool in spec.poolRefs`,
        ),
    ),
];
