// Value and cross-field rules of the kinds a Server references; the schema covers types and enums.
import { isIP } from 'node:net';
import { isValidDuration, parseQuantity } from '@openvox/shared';
import { codeRule } from '../server/rules/code.js';
import { SUBDOMAIN_RULE, isDnsSubdomain } from '../server/rules/names.js';
import { child, forbidden, invalid, isSet, required, verdict, type Obj, type Rule } from '../server/rules/types.js';
import type { StatusCause } from '../admission/review.js';

const DURATION_RULE = 'must be a duration such as 90d, 5y, 12h or 300 (seconds): digits and one of s, m, h, d, y';

function durations(spec: Obj, base: string, keys: string[]): StatusCause[] {
  return keys
    .filter((k) => typeof spec[k] === 'string' && !isValidDuration(spec[k]))
    .map((k) => invalid(`${base}.${k}`, spec[k], DURATION_RULE));
}

function subdomain(value: unknown, field: string): StatusCause[] {
  return typeof value === 'string' && !isDnsSubdomain(value) ? [invalid(field, value, SUBDOMAIN_RULE)] : [];
}

const authorityRef: Rule = ({ spec }) => verdict(subdomain(spec.authorityRef, 'spec.authorityRef'));

export const CONFIG_RULES: Rule[] = [authorityRef, codeRule];

export const CERTIFICATE_RULES: Rule[] = [
  authorityRef,
  ({ spec }) =>
    verdict([
      ...subdomain(typeof spec.certname === 'string' ? spec.certname.toLowerCase() : spec.certname, 'spec.certname'),
      ...(Array.isArray(spec.dnsAltNames) ? spec.dnsAltNames : []).flatMap((name, i) =>
        typeof name === 'string' && isIP(name) === 0 && !isDnsSubdomain(name.toLowerCase())
          ? [invalid(`spec.dnsAltNames[${i}]`, name, `must be an IP address or a DNS name: ${SUBDOMAIN_RULE}`)]
          : [],
      ),
      ...durations(spec, 'spec', ['renewBefore']),
    ]),
];

/** Allowed (a site may want it), but it silently stops agent revocations at the CA Server. */
export const INFRA_CRL_WARNING =
  "spec.enableInfraCRL: the CA Server's CRL endpoint then serves the infrastructure CRL (the certnames in infra_inventory.txt only), so an agent revoked with puppetserver ca revoke is still accepted by the non-CA Servers";

export const CERTIFICATE_AUTHORITY_RULES: Rule[] = [
  ({ spec }) => verdict(durations(spec, 'spec', ['ttl', 'autoRenewalCertTTL', 'crlRefreshInterval'])),
  ({ spec }) => verdict([], spec.enableInfraCRL === true && !child(spec, 'external') ? [INFRA_CRL_WARNING] : []),
  ({ spec }) => {
    const storage = child(spec, 'storage');
    const external = child(spec, 'external');
    const causes: StatusCause[] = [];
    if (storage && isSet(storage.size)) {
      const size = parseQuantity(storage.size);
      if (!size.ok || size.value <= 0)
        causes.push(invalid('spec.storage.size', storage.size, 'must be a positive quantity such as 1Gi or 500Mi'));
    }
    // An external CA keeps its data elsewhere: a claim for it would never be used.
    if (external && storage) {
      causes.push(
        forbidden('spec.storage', 'external and storage are mutually exclusive: an external CA has no data volume'),
      );
    }
    const intermediate = child(spec, 'intermediateCA');
    if (intermediate?.enabled === true && !isSet(intermediate.secretName)) {
      causes.push(
        required('spec.intermediateCA.secretName', 'the Secret with the intermediate CA, required when enabled'),
      );
    }
    if (intermediate?.enabled === true && external) {
      causes.push(
        forbidden(
          'spec.intermediateCA',
          'external and intermediateCA are mutually exclusive: an external CA signs elsewhere',
        ),
      );
    }
    if (external && typeof external.url === 'string' && !/^https?:\/\/[^/\s]+/.test(external.url)) {
      causes.push(invalid('spec.external.url', external.url, 'must be an http or https URL with a host'));
    }
    return verdict(causes);
  },
];

const NODE_PORTS = { min: 30000, max: 32767 };

export const POOL_RULES: Rule[] = [
  ({ spec }) => {
    const service = child(spec, 'service');
    if (!service) return verdict();
    const causes: StatusCause[] = [];
    const { port, nodePort, type } = service;
    if (typeof port === 'number' && (port < 1 || port > 65535)) {
      causes.push(invalid('spec.service.port', port, 'must be between 1 and 65535'));
    }
    if (typeof nodePort === 'number') {
      if (nodePort < NODE_PORTS.min || nodePort > NODE_PORTS.max) {
        causes.push(
          invalid('spec.service.nodePort', nodePort, `must be between ${NODE_PORTS.min} and ${NODE_PORTS.max}`),
        );
      }
      if (type !== 'NodePort' && type !== 'LoadBalancer') {
        causes.push(
          forbidden('spec.service.nodePort', 'may only be set when spec.service.type is NodePort or LoadBalancer'),
        );
      }
    }
    return verdict(causes);
  },
];
