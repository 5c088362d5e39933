import { X509Certificate, createPrivateKey } from 'node:crypto';
import { createCa, issueCertificate } from './pki.js';

describe('pki', () => {
  it('issues a server certificate that verifies against its CA and carries the SANs', async () => {
    const ca = await createCa('test-ca');
    const leaf = await issueCertificate(ca, {
      commonName: 'webhook',
      dnsNames: ['localhost'],
      ipAddresses: ['127.0.0.1'],
      usages: ['server'],
    });
    const caCert = new X509Certificate(ca.certPem);
    const cert = new X509Certificate(leaf.certPem);
    expect(caCert.ca).toBe(true);
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkPrivateKey(createPrivateKey(leaf.keyPem))).toBe(true);
  });
});
