// The autosign script as puppetserver runs it: a real Ruby process, the certname as its argument, a
// real CSR on stdin, the exit code as the decision. Fixed cases for each rule, then fast-check: random
// policy sets against random CSRs must decide as the model below (the SigningPolicy contract) says.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { CSR_ATTRIBUTE_OIDS } from '@openvox/shared';
import { AUTOSIGN_SCRIPT } from './autosign-script.js';
import { renderPolicyFile, type PolicyFileEntry } from './policy-file.js';
import { csrPem, type CsrSpec } from './csr.test-helpers.js';

const RUBY = '/usr/bin/ruby';
const OID = CSR_ATTRIBUTE_OIDS as Record<string, string>;
const PSK = OID.pp_preshared_key!;
const ENV = OID.pp_environment!;
const CLI_AUTH = OID.pp_cli_auth!;
const CHALLENGE = OID.challengePassword!;
const UNKNOWN = '1.2.3.4.5';

let dir: string;
let script: string;

beforeAll(() => {
  // The CA pods' Ruby (the image's agent) is what runs this; here Debian's, which test/puppet/install.sh
  // installs with puppet-agent before `npm test` runs the unit suites.
  if (!existsSync(RUBY))
    throw new Error(`${RUBY} missing: run test/puppet/install.sh (Debian's puppet-agent brings it)`);
  dir = mkdtempSync(join(tmpdir(), 'autosign-'));
  script = join(dir, 'openvox-autosign');
  writeFileSync(script, AUTOSIGN_SCRIPT, { mode: 0o755 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Decision {
  signed: boolean;
  stderr: string;
}

let runs = 0;
function decide(policies: PolicyFileEntry[] | string, certname: string, pem: string): Decision {
  const file = join(dir, `policy-${runs++}.json`);
  writeFileSync(file, typeof policies === 'string' ? policies : renderPolicyFile(policies));
  // puppetserver passes its JRuby settings; the script must not load gems from them.
  const env = {
    PATH: '/usr/bin:/bin',
    OPENVOX_AUTOSIGN_POLICY: file,
    RUBYLIB: '/nonexistent',
    GEM_HOME: '/nonexistent',
  };
  const r = spawnSync(script, [certname], { input: pem, env, encoding: 'utf8', timeout: 20_000 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`autosign exited ${r.status}: ${r.stderr}`);
  return { signed: r.status === 0, stderr: r.stderr };
}

const policy = (name: string, fields: Partial<PolicyFileEntry> = {}): PolicyFileEntry => ({
  name,
  any: false,
  csrAttributes: [],
  ...fields,
});
const attr = (name: string, value: string) => ({ name, oid: OID[name] ?? name, value });

async function signs(policies: PolicyFileEntry[], spec: CsrSpec): Promise<boolean> {
  return decide(policies, spec.certname, await csrPem(spec)).signed;
}

describe('the autosign script (real Ruby, real CSRs)', () => {
  const byName = policy('by-name', { pattern: ['*.trusted.test', 'web-?'] });
  const byPsk = policy('by-psk', { csrAttributes: [attr('pp_preshared_key', 's3cret')] });

  it('signs a certname that matches a pattern, and only that', async () => {
    expect(await signs([byName], { certname: 'web1.trusted.test' })).toBe(true);
    expect(await signs([byName], { certname: 'web-2' })).toBe(true);
    expect(await signs([byName], { certname: 'web-22' })).toBe(false);
    expect(await signs([byName], { certname: 'trusted.test.evil' })).toBe(false);
  });

  it('ORs policies and ANDs the fields of one policy', async () => {
    const both = policy('both', { pattern: ['*.trusted.test'], csrAttributes: [attr('pp_preshared_key', 's3cret')] });
    expect(await signs([both], { certname: 'a.trusted.test', extensions: { [PSK]: 's3cret' } })).toBe(true);
    expect(await signs([both], { certname: 'a.trusted.test' })).toBe(false);
    expect(await signs([both], { certname: 'a.other.test', extensions: { [PSK]: 's3cret' } })).toBe(false);
    expect(await signs([byName, byPsk], { certname: 'a.other.test', extensions: { [PSK]: 's3cret' } })).toBe(true);
  });

  it('refuses a wrong, missing or differently cased pre-shared key', async () => {
    expect(await signs([byPsk], { certname: 'psk1', extensions: { [PSK]: 's3cret' } })).toBe(true);
    expect(await signs([byPsk], { certname: 'psk1', extensions: { [PSK]: 'wrong' } })).toBe(false);
    expect(await signs([byPsk], { certname: 'psk1', extensions: { [PSK]: 'S3CRET' } })).toBe(false);
    expect(await signs([byPsk], { certname: 'psk1' })).toBe(false);
  });

  it('matches challengePassword as a CSR attribute', async () => {
    const pw = policy('pw', { csrAttributes: [attr('challengePassword', 'pw1')] });
    expect(await signs([pw], { certname: 'h', challengePassword: 'pw1' })).toBe(true);
    expect(await signs([pw], { certname: 'h', challengePassword: 'pw2' })).toBe(false);
  });

  it('denies alt names unless dnsAltNames allows every one; IP alt names only through IP: patterns', async () => {
    const sans = policy('sans', { pattern: ['*.trusted.test'], dnsAltNames: ['*.trusted.test', 'IP:10.0.0.*'] });
    expect(await signs([byName], { certname: 'a.trusted.test', dnsAltNames: ['b.trusted.test'] })).toBe(false);
    expect(await signs([sans], { certname: 'a.trusted.test', dnsAltNames: ['a.trusted.test', 'b.trusted.test'] })).toBe(
      true,
    );
    expect(await signs([sans], { certname: 'a.trusted.test', dnsAltNames: ['a.trusted.test', 'evil.test'] })).toBe(
      false,
    );
    expect(await signs([sans], { certname: 'a.trusted.test', ipAltNames: ['10.0.0.7'] })).toBe(true);
    expect(await signs([sans], { certname: 'a.trusted.test', ipAltNames: ['10.0.1.7'] })).toBe(false);
    // Puppet puts the certname among the alt names it asks for: that one needs no dnsAltNames.
    expect(await signs([byName], { certname: 'a.trusted.test', dnsAltNames: ['a.trusted.test'] })).toBe(true);
    expect(
      await signs([byName], { certname: 'a.trusted.test', dnsAltNames: ['a.trusted.test', 'b.trusted.test'] }),
    ).toBe(false);
    const star = policy('star', { pattern: ['*'], dnsAltNames: ['*'] });
    expect(await signs([star], { certname: 'a', ipAltNames: ['10.0.0.7'] })).toBe(false);
  });

  it('any: signs any certname and DNS alt names, never an escalating extension or an IP alt name', async () => {
    const any = policy('any', { any: true });
    expect(await signs([any], { certname: 'whatever', dnsAltNames: ['x.y'], extensions: { [ENV]: 'dev' } })).toBe(true);
    expect(await signs([any], { certname: 'admin', extensions: { [CLI_AUTH]: 'true' } })).toBe(false);
    expect(await signs([any], { certname: 'admin', extensions: { [UNKNOWN]: 'x' } })).toBe(false);
    expect(await signs([any], { certname: 'admin', ipAltNames: ['10.0.0.1'] })).toBe(false);
  });

  it('signs pp_cli_auth only for a policy that names it (advisory #506)', async () => {
    const admin = policy('admin', {
      pattern: ['admin.trusted.test'],
      csrAttributes: [attr('pp_cli_auth', 'true'), attr('pp_preshared_key', 's3cret')],
    });
    const cli = { [CLI_AUTH]: 'true', [PSK]: 's3cret' };
    expect(await signs([byName], { certname: 'admin.trusted.test', extensions: cli })).toBe(false);
    expect(await signs([byName, admin], { certname: 'admin.trusted.test', extensions: cli })).toBe(true);
    expect(await signs([admin], { certname: 'admin.trusted.test', extensions: { [CLI_AUTH]: 'false' } })).toBe(false);
  });

  it('refuses when no policy exists, a policy has no condition, or the policy file is unreadable', async () => {
    const pem = await csrPem({ certname: 'a' });
    expect(decide([], 'a', pem)).toMatchObject({ signed: false, stderr: expect.stringContaining('no SigningPolicy') });
    expect(decide([policy('empty', { dnsAltNames: ['*'] })], 'a', pem).signed).toBe(false);
    expect(decide('{not json', 'a', pem).signed).toBe(false);
    expect(decide('{"other": []}', 'a', pem).signed).toBe(false);
  });

  it('refuses a CSR for another certname, garbage on stdin and a tampered signature', async () => {
    const open = [policy('all', { pattern: ['*'] })];
    const pem = await csrPem({ certname: 'a' });
    expect(decide(open, 'a', pem).signed).toBe(true);
    expect(decide(open, 'b', pem)).toMatchObject({
      signed: false,
      stderr: expect.stringContaining('not the certname'),
    });
    expect(decide(open, 'a', 'not a csr').signed).toBe(false);
    const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s/g, ''), 'base64');
    der[der.length - 5]! ^= 0xff;
    const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
    expect(decide(open, 'a', tampered).signed).toBe(false);
  });
});

// --- The model: what a policy set must decide for a CSR (shared/src/api/signing-policy.ts). ---

const DATA_ARCS = ['1.3.6.1.4.1.34380.1.1.', '1.3.6.1.4.1.34380.1.2.'];

/** `*` and `?` globs (the generators use no classes). */
function glob(pattern: string, name: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(name);
}

function modelMatches(p: PolicyFileEntry, csr: CsrSpec): boolean {
  if (!p.any) {
    if (!p.pattern && p.csrAttributes.length === 0) return false;
    if (p.pattern && !p.pattern.some((g) => glob(g, csr.certname))) return false;
    for (const a of p.csrAttributes) {
      const value = a.oid === CHALLENGE ? csr.challengePassword : csr.extensions?.[a.oid];
      if (value !== a.value) return false;
    }
  }
  const dns = (p.dnsAltNames ?? []).filter((g) => !g.startsWith('IP:'));
  const ip = (p.dnsAltNames ?? []).filter((g) => g.startsWith('IP:'));
  if (!(csr.dnsAltNames ?? []).every((n) => n === csr.certname || p.any || dns.some((g) => glob(g, n)))) return false;
  if (!(csr.ipAltNames ?? []).every((n) => !p.any && ip.some((g) => glob(g, `IP:${n}`)))) return false;
  const named = p.any ? [] : p.csrAttributes.map((a) => a.oid);
  return Object.keys(csr.extensions ?? {}).every(
    (oid) => DATA_ARCS.some((arc) => oid.startsWith(arc)) || named.includes(oid),
  );
}

const subset = <T>(items: T[]) => fc.subarray(items);

const csrArb: fc.Arbitrary<CsrSpec> = fc.record(
  {
    certname: fc.constantFrom('web1.trusted.test', 'db.trusted.test', 'web-2', 'stranger.example', 'psk-host'),
    dnsAltNames: subset(['a.trusted.test', 'b.other.test', 'web-2']),
    ipAltNames: subset(['10.0.0.5', '192.168.1.1']),
    extensions: fc
      .record(
        {
          [PSK]: fc.constantFrom('s3cret', 'wrong'),
          [ENV]: fc.constantFrom('production', 'dev'),
          [CLI_AUTH]: fc.constant('true'),
          [UNKNOWN]: fc.constant('x'),
        },
        { requiredKeys: [] },
      )
      .map((r) => r as Record<string, string>),
    challengePassword: fc.constantFrom('pw', 'bad'),
  },
  { requiredKeys: ['certname'] },
);

const ATTRIBUTES = [
  attr('pp_preshared_key', 's3cret'),
  attr('pp_environment', 'production'),
  attr('pp_cli_auth', 'true'),
  attr('challengePassword', 'pw'),
  { name: UNKNOWN, oid: UNKNOWN, value: 'x' },
];

const policyArb: fc.Arbitrary<PolicyFileEntry> = fc.oneof(
  { weight: 1, arbitrary: fc.constant(policy('p', { any: true })) },
  {
    weight: 4,
    arbitrary: fc
      .record(
        {
          pattern: fc.subarray(['*.trusted.test', 'web*', 'w?b1.*', '*', 'psk-host'], { minLength: 1 }),
          dnsAltNames: subset(['*.trusted.test', '*', 'IP:10.0.0.*', 'IP:*']),
          csrAttributes: subset(ATTRIBUTES),
        },
        { requiredKeys: ['csrAttributes'] },
      )
      .map((fields) => policy('p', fields)),
  },
);

it('decides as the model for random policy sets and CSRs', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(policyArb, { maxLength: 3 }), csrArb, async (drawn, csr) => {
      const policies = drawn.map((p, i) => ({ ...p, name: `p${i}` }));
      const expected = policies.some((p) => modelMatches(p, csr));
      const got = decide(policies, csr.certname, await csrPem(csr));
      expect({ signed: got.signed, stderr: got.stderr }).toMatchObject({ signed: expected });
    }),
    { numRuns: 150 },
  );
}, 120_000);
