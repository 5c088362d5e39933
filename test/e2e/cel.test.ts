// Defense in depth on the real API server. In a namespace the run's webhook registration excludes (as
// with a bypassed webhook), the CRD's CEL rules alone refuse each broken invariant, naming the field,
// on create and on update, and accept every Server the webhook admits (its defaults applied). Where
// the webhook is registered, the user still sees every violation at once: the webhook's answer.
import { parse } from 'yaml';
import { SERVER_INVARIANTS, type ServerSpec } from '@openvox/shared';
import { applyServerDefaults } from '@openvox/webhook';
import { fullServer, seedServer } from '@openvox/webhook/testing';
import { kubectl, kubectlOk } from '../src/e2e-support/kubectl.js';
import { createNamespace, deleteNamespace } from '../src/e2e-support/namespace.js';
import { WEBHOOK_BYPASS_LABEL } from '../src/operator/webhook-configurations.js';

let bypassed: string;
let guarded: string;
beforeAll(() => {
  bypassed = createNamespace('e2e-cel-bypass', { labels: { [WEBHOOK_BYPASS_LABEL]: 'true' } });
  guarded = createNamespace('e2e-cel');
});
afterAll(() => {
  deleteNamespace(bypassed);
  deleteNamespace(guarded);
});

type Spec = Record<string, unknown>;

function server(name: string, namespace: string, spec: Spec) {
  return {
    apiVersion: 'openvox.voxpupuli.org/v1alpha1',
    kind: 'Server',
    metadata: { name, namespace },
    spec: { configRef: 'production', certificateRef: 'production-cert', ...spec },
  };
}

const stored = (name: string, namespace: string) => kubectl(['get', 'server', name, '-n', namespace]).code === 0;

/** The line kubectl prints for each invariant the spec breaks, from the rules' TypeScript twins. */
function expectedLines(spec: Spec): string[] {
  return SERVER_INVARIANTS.flatMap(({ cel, check }) => {
    const v = check(spec as ServerSpec);
    if (!v) return [];
    return [`${v.field}: ${cel.reason === 'FieldValueForbidden' ? 'Forbidden' : 'Invalid value'}: ${v.message}`];
  });
}

// One Server per invariant, each breaking that one only (all other fields as the webhook defaults them).
const BROKEN: [string, Spec][] = [
  ['a CA with 3 replicas', { ca: true, replicas: 3 }],
  ['a CA with autoscaling', { ca: true, autoscaling: { enabled: true, minReplicas: 1, maxReplicas: 1 } }],
  ['both PDB budgets', { pdb: { enabled: true, minAvailable: 1, maxUnavailable: '10%' } }],
  ['minReplicas 0', { autoscaling: { enabled: true, minReplicas: 0, maxReplicas: 3 } }],
  ['maxReplicas below minReplicas', { autoscaling: { enabled: true, minReplicas: 4, maxReplicas: 2 } }],
  ['targetCPU 150', { autoscaling: { targetCPU: 150 } }],
];

describe('with the webhook bypassed, the CEL rules alone', () => {
  it('really bypass the webhook there: a Server only the webhook refuses is stored, without its defaults', () => {
    const result = kubectl(
      ['apply', '-f', '-'],
      server('webhook-only', bypassed, { javaArgs: '-Xms4g -Xmx2g', poolRefs: ['Not_A_Label'] }),
    );
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const minimal = kubectl(['apply', '-f', '-'], server('minimal', bypassed, { pdb: { enabled: true } }));
    expect(minimal.code).toBe(0);
    const spec = parse(kubectlOk(['get', 'server', 'minimal', '-n', bypassed, '-o', 'yaml'])).spec;
    // Schema defaults only: the mutating webhook would have set javaArgs and pdb.maxUnavailable.
    expect(spec).toMatchObject({ ca: false, server: true, replicas: 1, pdb: { enabled: true } });
    expect(spec.javaArgs).toBeUndefined();
    expect(spec.pdb.maxUnavailable).toBeUndefined();
  });

  it.each(BROKEN)('refuse %s, naming the field, and store nothing', (what, spec) => {
    const name = `bad-${BROKEN.findIndex(([w]) => w === what)}`;
    const lines = expectedLines(spec);
    expect(lines).toHaveLength(1);
    const result = kubectl(['apply', '-f', '-'], server(name, bypassed, spec));
    expect(result.code).not.toBe(0);
    // kubectl prints a single cause on the first line, several as `* ` lines.
    expect(result.stderr).toContain(`The Server "${name}" is invalid: ${lines[0]}`);
    expect(result.stderr).not.toContain('admission webhook');
    expect(stored(name, bypassed)).toBe(false);
  });

  it('refuse every broken invariant of one Server at once', () => {
    const spec = {
      ca: true,
      replicas: 3,
      autoscaling: { enabled: true, minReplicas: 0, maxReplicas: -1, targetCPU: 0 },
      pdb: { minAvailable: 1, maxUnavailable: 1 },
    };
    const result = kubectl(['apply', '-f', '-'], server('all-broken', bypassed, spec));
    expect(result.code).not.toBe(0);
    const lines = expectedLines(spec);
    expect(lines).toHaveLength(SERVER_INVARIANTS.length);
    for (const line of lines) expect(result.stderr).toContain(`* ${line}`);
  });

  it('refuse an update that breaks one: a stored CA Server scaled to 3', () => {
    kubectlOk(['apply', '-f', '-'], server('ca', bypassed, { ca: true, replicas: 1 }));
    const result = kubectl([
      'patch',
      'server',
      'ca',
      '-n',
      bypassed,
      '--type',
      'merge',
      '-p',
      '{"spec":{"replicas":3}}',
    ]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`The Server "ca" is invalid: ${expectedLines({ ca: true, replicas: 3 })[0]}`);
    expect(parse(kubectlOk(['get', 'server', 'ca', '-n', bypassed, '-o', 'yaml'])).spec.replicas).toBe(1);
  });

  it('accept every Server the webhook admits, with the webhook defaults applied (server-side dry run)', () => {
    const admitted: Spec[] = [
      seedServer().spec,
      fullServer().spec,
      { ca: true, replicas: 0 },
      { ca: true, autoscaling: {}, pdb: { enabled: true } },
      { autoscaling: { enabled: true, minReplicas: 1, maxReplicas: 1, targetCPU: 1 } },
      { autoscaling: { enabled: true, minReplicas: 7, maxReplicas: 7, targetCPU: 100 } },
      { pdb: { enabled: true, minAvailable: '100%' } },
      { pdb: { enabled: false, maxUnavailable: 0 } },
    ];
    const refused = admitted
      .map((spec, i) => {
        const object = applyServerDefaults(server(`ok-${i}`, bypassed, spec));
        const result = kubectl(['apply', '--dry-run=server', '-f', '-'], object);
        return result.code === 0 ? undefined : `${JSON.stringify(spec)}: ${result.stderr}`;
      })
      .filter((r) => r !== undefined);
    expect(refused).toEqual([]);
  });
});

describe('with the webhook registered', () => {
  it('the user still sees every violation at once, CEL rules and webhook-only rules, in the webhook answer', () => {
    const spec = {
      ca: true,
      replicas: 3,
      autoscaling: { minReplicas: 4, maxReplicas: 2 },
      pdb: { minAvailable: 1, maxUnavailable: '150%' },
      javaArgs: '-Xms4g -Xmx2g',
      poolRefs: ['Not_A_Label'],
    };
    const result = kubectl(['apply', '-f', '-'], server('many-errors', guarded, spec));
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('The Server "many-errors" is invalid');
    // The webhook's own wording (its causes carry the value), not the CEL rules':
    expect(result.stderr).toContain(
      '* spec.replicas: Invalid value: 3: must be 0 or 1 when ca is true: one pod writes the CA volume',
    );
    expect(result.stderr).toContain(
      '* spec.autoscaling.maxReplicas: Invalid value: 2: must be greater than or equal to minReplicas (4)',
    );
    expect(result.stderr).toContain('* spec.pdb: Forbidden: minAvailable and maxUnavailable are mutually exclusive');
    expect(result.stderr).toContain('* spec.pdb.maxUnavailable: Invalid value: "150%"');
    expect(result.stderr).toContain('* spec.javaArgs: Invalid value: "-Xms4g -Xmx2g"');
    expect(result.stderr).toContain('* spec.poolRefs[0]: Invalid value: "Not_A_Label"');
    expect(stored('many-errors', guarded)).toBe(false);
  });
});
