// The pure parts: a CA status entry as AgentCertificate fields, the desiredState table, globs and names.
import { agentCertificateName, isObjectName } from './names.js';
import { caTime, observe, observeAll, serialHex } from './observe.js';
import { globMatches, policyMatches } from './signed-by.js';
import { nextStep } from './transitions.js';

describe('observe', () => {
  it('maps puppetserver fields: SHA-256 fingerprint, hex serial, RFC 3339 times, sorted alt names', () => {
    expect(
      observe({
        name: 'web1',
        state: 'signed',
        fingerprint: 'DEFAULT',
        fingerprints: { SHA1: 'S1', SHA256: 'S256', default: 'DEFAULT' },
        dns_alt_names: ['DNS:web1', 'DNS:a'],
        subject_alt_names: ['DNS:web1', 'IP:10.0.0.1', 'DNS:a'],
        authorization_extensions: { pp_cli_auth: 'true' },
        serial_number: '4096',
        not_before: '2026-11-25T12:00:00UTC',
        not_after: '2031-11-25T12:00:00UTC',
      }),
    ).toEqual({
      certname: 'web1',
      state: 'signed',
      fingerprint: 'S256',
      serial: '1000',
      notBefore: '2026-11-25T12:00:00Z',
      notAfter: '2031-11-25T12:00:00Z',
      dnsAltNames: ['DNS:a', 'DNS:web1', 'IP:10.0.0.1'],
      authorizationExtensions: { pp_cli_auth: 'true' },
    });
    // A request: no serial or dates, empty lists left out.
    expect(observe({ name: 'r', state: 'requested', fingerprint: 'F', dns_alt_names: [] })).toEqual({
      certname: 'r',
      state: 'requested',
      fingerprint: 'F',
    });
    expect(observe({ name: 'x', state: 'something-new' })).toBeUndefined();
    expect(
      observeAll([
        { name: 'a', state: 'signed' },
        { name: 'a', state: 'revoked' },
      ]).get('a')!.state,
    ).toBe('signed');
  });

  it('reads times and serials defensively', () => {
    expect(caTime('2026-01-02T03:04:05 UTC')).toBe('2026-01-02T03:04:05Z');
    expect(caTime('2026-01-02T03:04:05Z')).toBe('2026-01-02T03:04:05Z');
    expect(caTime('not a time')).toBeUndefined();
    expect(serialHex('340282366920938463463374607431768211455')).toBe('f'.repeat(32));
    expect(serialHex('0x12')).toBeUndefined();
  });
});

describe('nextStep', () => {
  const table: [string | undefined, string | undefined, string][] = [
    [undefined, 'requested', 'done'],
    [undefined, undefined, 'forget (mirror) / wait NotOnCAServer (user)'],
    ['signed', 'requested', 'act sign'],
    ['signed', 'signed', 'done'],
    ['signed', 'revoked', 'refuse RevokedCannotBeSigned'],
    ['signed', undefined, 'wait WaitingForRequest'],
    ['revoked', 'signed', 'act revoke'],
    ['revoked', 'revoked', 'done'],
    ['revoked', 'requested', 'refuse NotSigned'],
    ['revoked', undefined, 'refuse UnknownCertname'],
    ['cleaned', 'requested', 'act clean'],
    ['cleaned', 'revoked', 'act clean'],
    ['cleaned', undefined, 'forget'],
  ];
  const show = (d: string | undefined, s: string | undefined, mirror: boolean) => {
    const step = nextStep(d as never, s as never, 'a1', mirror);
    return step.kind === 'act' ? `act ${step.action}` : 'reason' in step ? `${step.kind} ${step.reason}` : step.kind;
  };
  it.each(table)('desired %s, CA %s: %s', (desired, state, expected) => {
    const got = show(desired, state, true);
    const user = show(desired, state, false);
    expect(got === user ? got : `${got} (mirror) / ${user} (user)`).toBe(expected);
  });
});

describe('globMatches (Ruby File.fnmatch with FNM_PATHNAME)', () => {
  it.each([
    ['*.example.com', 'web1.example.com', true],
    ['*.example.com', 'example.com', false],
    ['web-?', 'web-1', true],
    ['web-[12]', 'web-3', false],
    ['web-[!12]', 'web-3', true],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'axb', false],
    ['*', 'a/b', false],
  ])('%s ~ %s: %s', (pattern, name, expected) => expect(globMatches(pattern, name)).toBe(expected));

  it('matches a policy as the autosign script does: alt names and non-data extensions must be allowed', () => {
    const cert = {
      certname: 'web1.example.com',
      dnsNames: ['web1.example.com', 'alias.example.com'],
      ipAddresses: [],
      puppetExtensions: {},
    };
    const pattern = { name: 'p', any: false, pattern: ['*.example.com'], csrAttributes: [] };
    expect(policyMatches(pattern, cert)).toBe(false);
    expect(policyMatches({ ...pattern, dnsAltNames: ['alias.*'] }, cert)).toBe(true);
    expect(policyMatches({ name: 'any', any: true, csrAttributes: [] }, cert)).toBe(true);
    const cli = { ...cert, dnsNames: [], puppetExtensions: { '1.3.6.1.4.1.34380.1.3.39': 'true' } };
    expect(policyMatches({ name: 'any', any: true, csrAttributes: [] }, cli)).toBe(false);
  });
});

describe('agentCertificateName', () => {
  it('is the certname when it can be, else CA, readable certname and a hash', () => {
    expect(agentCertificateName('production-ca', 'web1.example.com', () => false)).toBe('web1.example.com');
    const taken = agentCertificateName('production-ca', 'web1.example.com', () => true);
    expect(taken).toMatch(/^production-ca-web1\.example\.com-[0-9a-f]{8}$/);
    for (const certname of ['Web_1', '-x-', 'a'.repeat(300), 'host_.example.com'])
      expect([certname, isObjectName(agentCertificateName('ca', certname, () => false))]).toEqual([certname, true]);
  });
});
