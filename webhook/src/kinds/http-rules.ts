// Rules of the kinds that call an HTTP service (NodeClassifier, ReportProcessor): the Go operator's
// checks (URL, at most one auth method, POST body, header value xor valueFrom) plus the references
// to Secrets and ConfigMaps being names.
import { AT_MOST_ONE_AUTH, BODY_ONLY_WITH_POST, METHOD_GET_OR_POST, VALUE_XOR_VALUE_FROM } from '@openvox/shared';
import { SUBDOMAIN_RULE, isDnsSubdomain } from '../server/rules/names.js';
import { child, duplicate, forbidden, invalid, isSet, verdict, type Obj, type Rule } from '../server/rules/types.js';
import type { StatusCause } from '../admission/review.js';

export function urlCauses(value: unknown, field: string): StatusCause[] {
  if (typeof value !== 'string') return [];
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  const ok = url !== undefined && (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  return ok
    ? []
    : [invalid(field, value, 'must be an http or https URL with a host, for example https://enc.example.com')];
}

export function nameCauses(value: unknown, field: string): StatusCause[] {
  return typeof value === 'string' && !isDnsSubdomain(value) ? [invalid(field, value, SUBDOMAIN_RULE)] : [];
}

function secretRefCauses(ref: Obj | undefined, field: string): StatusCause[] {
  return ref ? nameCauses(ref.name, `${field}.name`) : [];
}

function positive(value: unknown, field: string): StatusCause[] {
  return typeof value === 'number' && value <= 0 ? [invalid(field, value, 'must be greater than 0')] : [];
}

const authRule: Rule = ({ spec }) => {
  const auth = child(spec, 'auth');
  if (!auth) return verdict();
  const methods = ['token', 'bearer', 'basic'].filter((k) => child(auth, k)).concat(auth.mtls === true ? ['mtls'] : []);
  const causes: StatusCause[] = [];
  if (methods.length > 1) causes.push(forbidden('spec.auth', `${AT_MOST_ONE_AUTH}, got ${methods.sort().join(', ')}`));
  const token = child(auth, 'token');
  causes.push(...secretRefCauses(token && child(token, 'secretKeyRef'), 'spec.auth.token.secretKeyRef'));
  const bearer = child(auth, 'bearer');
  causes.push(...secretRefCauses(bearer && child(bearer, 'secretKeyRef'), 'spec.auth.bearer.secretKeyRef'));
  const basic = child(auth, 'basic');
  causes.push(...secretRefCauses(basic && child(basic, 'secretRef'), 'spec.auth.basic.secretRef'));
  return verdict(causes);
};

const common: Rule = ({ spec }) =>
  verdict([...urlCauses(spec.url, 'spec.url'), ...positive(spec.timeoutSeconds, 'spec.timeoutSeconds')]);

export const NODE_CLASSIFIER_RULES: Rule[] = [
  common,
  authRule,
  ({ spec }) => {
    const request = child(spec, 'request');
    if (!request) return verdict();
    const causes: StatusCause[] = [];
    const method = request.method ?? 'GET';
    if (typeof method === 'string' && method !== 'GET' && method !== 'POST') {
      causes.push(invalid('spec.request.method', method, METHOD_GET_OR_POST));
    }
    if (method !== 'POST' && isSet(request.body)) {
      causes.push(forbidden('spec.request.body', `${BODY_ONLY_WITH_POST}: set spec.request.method to POST`));
    }
    if (typeof request.path === 'string' && !request.path.startsWith('/')) {
      causes.push(invalid('spec.request.path', request.path, 'must start with /, for example /node/{certname}'));
    }
    return verdict(causes);
  },
  ({ spec }) => {
    const cache = child(spec, 'cache');
    const dir = cache?.directory;
    return verdict(
      typeof dir === 'string' && !dir.startsWith('/')
        ? [invalid('spec.cache.directory', dir, 'must be an absolute path')]
        : [],
    );
  },
];

export const REPORT_PROCESSOR_RULES: Rule[] = [
  common,
  authRule,
  ({ spec }) => verdict(nameCauses(spec.configRef, 'spec.configRef')),
  ({ spec }) => {
    const headers = Array.isArray(spec.headers) ? spec.headers : [];
    const causes: StatusCause[] = [];
    const seen = new Set<string>();
    headers.forEach((header: unknown, i) => {
      if (typeof header !== 'object' || header === null) return;
      const h = header as Obj;
      const field = `spec.headers[${i}]`;
      const from = child(h, 'valueFrom');
      if (isSet(h.value) && from) causes.push(forbidden(field, VALUE_XOR_VALUE_FROM));
      if (from) {
        const sources = ['secretKeyRef', 'configMapKeyRef'].filter((k) => child(from, k));
        if (sources.length !== 1) {
          causes.push(forbidden(`${field}.valueFrom`, 'set exactly one of secretKeyRef and configMapKeyRef'));
        }
        causes.push(...secretRefCauses(child(from, 'secretKeyRef'), `${field}.valueFrom.secretKeyRef`));
        causes.push(...secretRefCauses(child(from, 'configMapKeyRef'), `${field}.valueFrom.configMapKeyRef`));
      }
      if (typeof h.name === 'string') {
        if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(h.name)) {
          causes.push(
            invalid(`${field}.name`, h.name, "must be an HTTP header name (letters, digits and !#$%&'*+.^_`|~-)"),
          );
        } else if (seen.has(h.name.toLowerCase())) {
          causes.push(duplicate(`${field}.name`, h.name, 'header names are case-insensitive; set each once'));
        }
        seen.add(h.name.toLowerCase());
      }
    });
    return verdict(causes);
  },
];
