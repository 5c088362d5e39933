import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { connect } from './connection.js';
import { inClusterAccess, readKubeconfig } from './kubeconfig.js';

function kubeconfigFile(user: Record<string, unknown>, cluster: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubeconfig-'));
  writeFileSync(join(dir, 'ca.pem'), 'CA PEM');
  writeFileSync(join(dir, 'token'), 'from-file\n');
  const file = join(dir, 'config');
  writeFileSync(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server: 'https://10.0.0.1:6443/', ...cluster } }],
      users: [{ name: 'u', user }],
      contexts: [
        { name: 'other', context: { cluster: 'missing', user: 'u' } },
        { name: 'x', context: { cluster: 'c', user: 'u' } },
      ],
      'current-context': 'x',
    }),
  );
  return file;
}

describe('readKubeconfig', () => {
  it('reads the current context: server, inline client certificate, CA file relative to the kubeconfig', () => {
    const file = kubeconfigFile(
      {
        'client-certificate-data': Buffer.from('CERT').toString('base64'),
        'client-key-data': Buffer.from('KEY').toString('base64'),
      },
      { 'certificate-authority': 'ca.pem', 'tls-server-name': 'kubernetes' },
    );
    expect(readKubeconfig(file)).toMatchObject({
      server: 'https://10.0.0.1:6443',
      ca: 'CA PEM',
      clientCert: 'CERT',
      clientKey: 'KEY',
      tlsServerName: 'kubernetes',
      insecureSkipTlsVerify: false,
      needsFullClient: undefined,
    });
  });

  it('names the file and the missing part', () => {
    const file = kubeconfigFile({});
    writeFileSync(file, stringify({ 'current-context': 'x', contexts: [] }));
    expect(() => readKubeconfig(file)).toThrow(`${file}: no context named "x"`);
  });

  it('leaves exec and auth-provider users to client-node', () => {
    expect(readKubeconfig(kubeconfigFile({ exec: { command: 'aws' } })).needsFullClient).toBe('exec');
    expect(readKubeconfig(kubeconfigFile({ 'auth-provider': { name: 'oidc' } })).needsFullClient).toBe('auth-provider');
  });
});

describe('connect', () => {
  it('sends a bearer token, reading a token file relative to the kubeconfig', async () => {
    const inline = await connect(kubeconfigFile({ token: 'abc' }));
    expect(await inline.headers()).toEqual({ Authorization: 'Bearer abc' });
    const fromFile = await connect(kubeconfigFile({ tokenFile: 'token' }));
    expect(await fromFile.headers()).toEqual({ Authorization: 'Bearer from-file' });
    const basic = await connect(kubeconfigFile({ username: 'a', password: 'b' }));
    expect(await basic.headers()).toEqual({ Authorization: `Basic ${Buffer.from('a:b').toString('base64')}` });
    expect(inline.server).toBe('https://10.0.0.1:6443');
  });
});

describe('inClusterAccess', () => {
  it("reads the pod's service account; brackets an IPv6 host", () => {
    const dir = mkdtempSync(join(tmpdir(), 'sa-'));
    writeFileSync(join(dir, 'ca.crt'), 'SA CA');
    expect(inClusterAccess({ KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' }, dir)).toEqual({
      server: 'https://[fd00::1]:443',
      ca: 'SA CA',
      insecureSkipTlsVerify: false,
      tokenFile: join(dir, 'token'),
    });
    expect(() => inClusterAccess({}, dir)).toThrow('KUBERNETES_SERVICE_HOST');
  });
});
