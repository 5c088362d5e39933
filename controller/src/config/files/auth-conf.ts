// auth.conf: puppetserver's built-in authorization rules (as shipped by puppetserver 7 / OpenVox,
// plus certificate renewal, sign and resource_type) as typed data, written through the HOCON writer.
import type { AuthorizationRule } from '@openvox/shared/runtime';
import { writeHocon, type HoconObject, type HoconValue } from '../../writers/hocon.js';

type Method = 'get' | 'head' | 'post' | 'put' | 'delete';
type Allow = string | { extensions: Record<string, string> };

export interface AuthRule {
  name: string;
  path: string;
  type: 'path' | 'regex';
  method?: Method[];
  allow?: Allow | Allow[];
  deny?: string;
  allowUnauthenticated?: boolean;
  sortOrder: number;
}

const CLI_AUTH: Allow = { extensions: { pp_cli_auth: 'true' } };

const rule = (
  name: string,
  path: string,
  type: 'path' | 'regex',
  method: Method[] | undefined,
  access: Pick<AuthRule, 'allow' | 'deny' | 'allowUnauthenticated'>,
  sortOrder = 500,
): AuthRule => ({ name, path, type, ...(method ? { method } : {}), ...access, sortOrder });

export const BUILT_IN_RULES: readonly AuthRule[] = [
  rule('puppetlabs v3 catalog from agents', '^/puppet/v3/catalog/([^/]+)$', 'regex', ['get', 'post'], { allow: '$1' }),
  rule('puppetlabs v4 catalog for services', '^/puppet/v4/catalog/?$', 'regex', ['post'], { deny: '*' }),
  rule('puppetlabs certificate', '/puppet-ca/v1/certificate/', 'path', ['get'], { allowUnauthenticated: true }),
  rule('puppetlabs crl', '/puppet-ca/v1/certificate_revocation_list/ca', 'path', ['get'], {
    allowUnauthenticated: true,
  }),
  rule('puppetlabs csr', '/puppet-ca/v1/certificate_request', 'path', ['get', 'put'], { allowUnauthenticated: true }),
  rule('puppetlabs certificate renewal', '/puppet-ca/v1/certificate_renewal', 'path', ['post'], { allow: '*' }),
  rule('puppetlabs cert status', '/puppet-ca/v1/certificate_status', 'path', ['get', 'put', 'delete'], {
    allow: CLI_AUTH,
  }),
  rule('puppetlabs CRL update', '^/puppet-ca/v1/certificate_revocation_list$', 'regex', ['put'], { allow: CLI_AUTH }),
  rule('puppetlabs cert statuses', '/puppet-ca/v1/certificate_statuses', 'path', ['get'], { allow: CLI_AUTH }),
  rule('puppetlabs CA cert and CRL expirations', '/puppet-ca/v1/expirations', 'path', ['get'], { allow: '*' }),
  rule('puppetlabs cert clean', '/puppet-ca/v1/clean', 'path', ['put'], { allow: CLI_AUTH }),
  rule('puppetlabs cert sign', '/puppet-ca/v1/sign', 'path', ['post'], { allow: CLI_AUTH }),
  rule('puppetlabs cert sign all', '/puppet-ca/v1/sign/all', 'path', ['post'], { allow: CLI_AUTH }),
  rule('puppetlabs resource type', '/puppet/v3/resource_type', 'path', ['get', 'post'], { allow: '*' }),
  rule('puppetlabs status service - full', '/status/v1/services', 'path', ['get'], { allowUnauthenticated: true }),
  rule('puppetlabs status service - simple', '/status/v1/simple', 'path', ['get'], { allowUnauthenticated: true }),
  rule('puppetlabs environments', '/puppet/v3/environments', 'path', ['get'], { allow: '*' }),
  rule('puppetlabs file bucket file', '/puppet/v3/file_bucket_file', 'path', ['get', 'head', 'post', 'put'], {
    allow: '*',
  }),
  rule('puppetlabs file content', '/puppet/v3/file_content', 'path', ['get', 'post'], { allow: '*' }),
  rule('puppetlabs file metadata', '/puppet/v3/file_metadata', 'path', ['get', 'post'], { allow: '*' }),
  rule('puppetlabs node', '^/puppet/v3/node/([^/]+)$', 'regex', ['get'], { allow: '$1' }),
  rule('puppetlabs report', '^/puppet/v3/report/([^/]+)$', 'regex', ['put'], { allow: '$1' }),
  rule('puppetlabs facts', '^/puppet/v3/facts/([^/]+)$', 'regex', ['put'], { allow: '$1' }),
  rule('puppetlabs static file content', '/puppet/v3/static_file_content', 'path', ['get'], { allow: '*' }),
  rule('puppet tasks information', '/puppet/v3/tasks', 'path', undefined, { allow: '*' }),
  rule('puppetlabs deny all', '/', 'path', undefined, { deny: '*' }, 999),
];

function ruleObject(r: AuthRule): HoconObject {
  const matchRequest: Record<string, HoconValue> = { path: r.path, type: r.type };
  if (r.method) matchRequest.method = r.method;
  const allow =
    r.allow === undefined ? undefined : Array.isArray(r.allow) ? (r.allow as HoconValue[]) : (r.allow as HoconValue);
  return {
    name: r.name,
    'match-request': matchRequest,
    'sort-order': r.sortOrder,
    allow,
    deny: r.deny,
    'allow-unauthenticated': r.allowUnauthenticated,
  };
}

/** A Config's spec.puppetserver.authorizationRules entry as an auth.conf rule. */
export function userRule(r: AuthorizationRule): AuthRule {
  const m = r.matchRequest;
  return {
    name: r.name,
    path: m.path,
    type: m.type ?? 'path',
    ...(m.method?.length ? { method: m.method as Method[] } : {}),
    ...(r.allow ? { allow: r.allow } : {}),
    ...(r.deny ? { deny: r.deny } : {}),
    ...(r.allowUnauthenticated ? { allowUnauthenticated: true } : {}),
    sortOrder: r.sortOrder ?? 500,
  };
}

/**
 * The built-in rules, then the Config's own ones before the final deny-all (as the Go operator places
 * them); the file is in sort-order (a stable sort), which is also the order puppetserver evaluates.
 */
export function renderAuthConf(
  rules: readonly AuthRule[] = BUILT_IN_RULES,
  extra: readonly AuthorizationRule[] = [],
): string {
  const denyAll = rules.filter((r) => r.name === 'puppetlabs deny all');
  const all = [...rules.filter((r) => !denyAll.includes(r)), ...extra.map(userRule), ...denyAll];
  const sorted = all.sort((a, b) => a.sortOrder - b.sortOrder);
  return writeHocon({ authorization: { version: 1, rules: sorted.map(ruleObject) } });
}
