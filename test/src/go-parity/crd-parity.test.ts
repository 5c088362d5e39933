// Every spec field of the Go operator's v1alpha1 CRDs (vendored from slauger/openvox-operator, see
// test/fixtures/go-crds/SOURCE.md) exists here with the same type and default, except the defaults
// listed below, which differ on purpose.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { KINDS, buildCrd } from '@openvox/shared';
import { schemaDifferences, type FieldDifference } from './schema-diff.js';

const DIR = join(process.cwd(), 'test', 'fixtures', 'go-crds');

/** Defaults we do not copy, and why (README: "Differences from the Go operator"). */
const DELIBERATE: Record<string, string[]> = {
  Config: [
    // An image: {} or a pullSecrets entry would silently pull ghcr.io/slauger/openvox-server:latest (Go §7.8).
    'spec.image.repository',
    'spec.image.tag',
    'spec.image.pullSecrets[].name',
    // Set only together with image (the webhook says so); a default would fill it in for claimName too.
    'spec.code.imagePullPolicy',
    // Without a PuppetDB the Go defaults make every agent run try to reach one: PuppetDB is opt-in here.
    'spec.puppet.reports',
    'spec.puppet.storeBackend',
    'spec.puppet.storeconfigs',
    // Read-only root filesystem by default (the image is known to work with it).
    'spec.readOnlyRootFilesystem',
  ],
  Server: [
    'spec.image.repository',
    'spec.image.tag',
    'spec.image.pullSecrets[].name',
    'spec.code.imagePullPolicy',
    // A static default made the heap-from-memory-limit sizing dead code (Go §7.8); the webhook derives it.
    'spec.javaArgs',
  ],
  // A shared default certname (`puppet`) made every Certificate of a CA one identity (Go PR #578): the
  // mutating webhook defaults it to the Certificate's own name instead.
  Certificate: ['spec.certname'],
  // On, the CA Server's CRL endpoint serves the infrastructure CRL only: agent revocations would never reach
  // the non-CA Servers through the operator's CRL refresh (puppetserver's own default is false).
  CertificateAuthority: ['spec.enableInfraCRL'],
  // The Go default for a Database image is the Server image, which cannot run OpenVox DB.
  Database: ['spec.image.repository', 'spec.image.tag', 'spec.image.pullSecrets[].name'],
};

const goCrds = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => parse(readFileSync(join(DIR, f), 'utf8')));

type Spec = Parameters<typeof schemaDifferences>[0];
const specOf = (crd: { spec: { versions: { schema: { openAPIV3Schema: { properties: { spec: Spec } } } }[] } }) =>
  crd.spec.versions[0]!.schema.openAPIV3Schema.properties.spec;

describe("the Go operator's v1alpha1 API, field for field", () => {
  it('has all nine vendored CRDs', () => {
    expect(goCrds).toHaveLength(9);
  });

  it('has every Go kind here (SigningPolicy comes from its own branch)', () => {
    const missing = goCrds.map((c) => c.spec.names.kind as string).filter((k) => !KINDS.some((d) => d.kind === k));
    expect(missing.filter((k) => k !== 'SigningPolicy')).toEqual([]);
  });

  const present = goCrds.filter((c) => KINDS.some((d) => d.kind === c.spec.names.kind));
  it.each(present.map((c) => [c.spec.names.kind as string, c]))(
    '%s: every Go spec field with the same type and default',
    (kind, crd) => {
      const ours = KINDS.find((d) => d.kind === kind)!;
      const oursSpec = (buildCrd(ours).spec.versions[0]!.schema!.openAPIV3Schema as { properties: { spec: Spec } })
        .properties.spec;
      const differences: FieldDifference[] = schemaDifferences(specOf(crd), oursSpec, 'spec');
      const unexplained = differences.filter(
        (d) => !(d.problem.startsWith('default ') && (DELIBERATE[kind] ?? []).includes(d.path)),
      );
      expect(unexplained).toEqual([]);
      // The list of deliberate differences stays true: each one is still a difference.
      expect(differences.map((d) => d.path).sort()).toEqual([...(DELIBERATE[kind] ?? [])].sort());
    },
  );

  it('keeps the Go short names, except where they clash with cert-manager (cert) or are ours (ca)', () => {
    const goShort = Object.fromEntries(goCrds.map((c) => [c.spec.names.kind, c.spec.names.shortNames ?? []]));
    const ours = Object.fromEntries(KINDS.map((d) => [d.kind, d.shortNames]));
    expect(ours.Certificate).toEqual(['ovcert']);
    expect(ours.CertificateAuthority).toEqual(['ovca']);
    for (const kind of ['Config', 'NodeClassifier', 'ReportProcessor', 'Database'])
      expect(ours[kind]).toEqual(goShort[kind]);
  });

  // Columns of ours the Go CRDs lack, on purpose: `kubectl get` of a Pool names the Service it fronts; of
  // a CertificateAuthority, the published CRL number and whether its refresh from the CA Server works.
  const EXTRA_COLUMNS: Record<string, string[]> = {
    Pool: ['Service .status.serviceName'],
    CertificateAuthority: ['CRL .status.crlNumber', 'CRLSynced .status.conditions[?(@.type=="CRLSynced")].status'],
  };

  it('has the Go printer columns of every kind, in order (and only the extras listed above)', () => {
    for (const crd of present) {
      const ours = KINDS.find((d) => d.kind === crd.spec.names.kind)!;
      const goColumns = (crd.spec.versions[0].additionalPrinterColumns as { name: string; jsonPath: string }[]).map(
        (c) => `${c.name} ${c.jsonPath}`,
      );
      const extras = EXTRA_COLUMNS[ours.kind] ?? [];
      const columns = ours.printerColumns.map((c) => `${c.name} ${c.jsonPath}`);
      expect(extras.filter((e) => !columns.includes(e))).toEqual([]);
      expect({ kind: ours.kind, columns: columns.filter((c) => !extras.includes(c)) }).toEqual({
        kind: ours.kind,
        columns: goColumns,
      });
    }
  });
});
