// The running webhook process speaks TLS 1.2 or newer only, and nothing answers plain HTTP.
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect, type SecureVersion } from 'node:tls';
import { VALIDATE_PATH } from '@openvox/shared';
import { readOperatorState } from '../src/e2e-support/kubectl.js';

const state = readOperatorState();
const url = new URL(state.webhookUrl);
const ca = readFileSync(state.webhookCaFile);

function handshake(version: SecureVersion): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({
      host: url.hostname,
      port: Number(url.port),
      ca,
      minVersion: version,
      maxVersion: version,
      // This client must be able to speak the old versions, or the refusal would be its own (OpenSSL's
      // default security level forbids TLS < 1.2) and the test could not fail.
      ciphers: 'DEFAULT@SECLEVEL=0',
    });
    socket.once('secureConnect', () => {
      resolve(socket.getProtocol() ?? 'unknown');
      socket.end();
    });
    socket.once('error', (error) => resolve(`error: ${error.message}`));
  });
}

it('completes TLS 1.2 and 1.3 handshakes', async () => {
  expect(await handshake('TLSv1.2')).toBe('TLSv1.2');
  expect(await handshake('TLSv1.3')).toBe('TLSv1.3');
});

it('refuses TLS 1.1 and 1.0', async () => {
  // The server's answer: a protocol_version alert.
  expect(await handshake('TLSv1.1')).toMatch(/^error: .*(protocol version|unsupported protocol)/i);
  expect(await handshake('TLSv1')).toMatch(/^error: .*(protocol version|unsupported protocol)/i);
});

it('gives no admission answer over plain HTTP', async () => {
  const outcome = await new Promise<string>((resolve) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: VALIDATE_PATH,
        method: 'POST',
        timeout: 5000,
      },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve(`status ${res.statusCode}: ${body}`));
      },
    );
    req.on('error', (error) => resolve(`error: ${error.message}`));
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end('{}');
  });
  expect(outcome).not.toContain('AdmissionReview');
  expect(outcome).not.toMatch(/^status 2/);
});
