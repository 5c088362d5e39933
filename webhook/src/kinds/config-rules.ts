// Rules of the Config fields from the Go operator's API: databaseRef excludes puppetdb.serverUrls,
// authorization rules that puppetserver would refuse at startup, and the Graphite reporter.
import { child, duplicate, forbidden, invalid, required, verdict, type Obj, type Rule } from '../server/rules/types.js';
import type { StatusCause } from '../admission/review.js';
import { nameCauses } from './http-rules.js';
import { portCauses } from './database-rules.js';

const METHODS = ['get', 'post', 'put', 'delete', 'head'];

const references: Rule = ({ spec }) => {
  const causes = [
    ...nameCauses(spec.databaseRef, 'spec.databaseRef'),
    ...nameCauses(spec.nodeClassifierRef, 'spec.nodeClassifierRef'),
  ];
  const urls = child(spec, 'puppetdb')?.serverUrls;
  if (typeof spec.databaseRef === 'string' && spec.databaseRef !== '' && Array.isArray(urls) && urls.length > 0) {
    causes.push(
      forbidden('spec.databaseRef', 'databaseRef and puppetdb.serverUrls are mutually exclusive: set only one of them'),
    );
  }
  return verdict(causes);
};

function ruleCauses(rule: Obj, field: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const match = child(rule, 'matchRequest');
  if (match && typeof match.path === 'string') {
    if ((match.type ?? 'path') === 'path' && !match.path.startsWith('/')) {
      causes.push(invalid(`${field}.matchRequest.path`, match.path, 'a path rule must start with /'));
    }
    if (match.type === 'regex') {
      try {
        new RegExp(match.path);
      } catch {
        causes.push(invalid(`${field}.matchRequest.path`, match.path, 'must be a valid regular expression'));
      }
    }
  }
  (Array.isArray(match?.method) ? match.method : []).forEach((m: unknown, j) => {
    if (typeof m === 'string' && !METHODS.includes(m)) {
      causes.push(invalid(`${field}.matchRequest.method[${j}]`, m, `must be one of ${METHODS.join(', ')}`));
    }
  });
  const hasAllow = typeof rule.allow === 'string' && rule.allow !== '';
  const hasDeny = typeof rule.deny === 'string' && rule.deny !== '';
  if (rule.allowUnauthenticated === true && (hasAllow || hasDeny)) {
    causes.push(
      forbidden(field, 'allowUnauthenticated cannot be combined with allow or deny (puppetserver refuses it)'),
    );
  } else if (rule.allowUnauthenticated !== true && !hasAllow && !hasDeny) {
    causes.push(required(field, 'set allow, deny or allowUnauthenticated: true (puppetserver refuses a rule without)'));
  }
  return causes;
}

const authorizationRules: Rule = ({ spec }) => {
  const rules = child(spec, 'puppetserver')?.authorizationRules;
  if (!Array.isArray(rules)) return verdict();
  const causes: StatusCause[] = [];
  const seen = new Set<string>();
  rules.forEach((rule: unknown, i) => {
    if (typeof rule !== 'object' || rule === null) return;
    const r = rule as Obj;
    const field = `spec.puppetserver.authorizationRules[${i}]`;
    if (typeof r.name === 'string') {
      if (seen.has(r.name)) {
        causes.push(duplicate(`${field}.name`, r.name, 'rule names must be unique'));
      }
      seen.add(r.name);
    }
    causes.push(...ruleCauses(r, field));
  });
  return verdict(causes);
};

const metrics: Rule = ({ spec }) => {
  const graphite = child(child(spec, 'metrics') ?? {}, 'graphite');
  if (!graphite) return verdict();
  const causes = portCauses(graphite.port, 'spec.metrics.graphite.port');
  if (graphite.enabled === true && (typeof graphite.host !== 'string' || graphite.host === '')) {
    causes.push(required('spec.metrics.graphite.host', 'the Graphite host name, required when graphite is enabled'));
  }
  if (typeof graphite.updateIntervalSeconds === 'number' && graphite.updateIntervalSeconds <= 0) {
    causes.push(
      invalid('spec.metrics.graphite.updateIntervalSeconds', graphite.updateIntervalSeconds, 'must be greater than 0'),
    );
  }
  return verdict(causes);
};

const httpClient: Rule = ({ spec }) => {
  const client = child(child(spec, 'puppetserver') ?? {}, 'httpClient');
  if (!client) return verdict();
  return verdict(
    (['connectTimeoutMs', 'idleTimeoutMs'] as const)
      .filter((k) => typeof client[k] === 'number' && (client[k] as number) <= 0)
      .map((k) => invalid(`spec.puppetserver.httpClient.${k}`, client[k], 'must be greater than 0 milliseconds')),
  );
};

export const CONFIG_GO_RULES: Rule[] = [references, authorizationRules, metrics, httpClient];
