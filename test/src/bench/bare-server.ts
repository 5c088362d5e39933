// The ceiling for one webhook process: an express 5 HTTPS handler that only parses the body and answers.
// Usage: node test/dist/bench/bare-server.js PORT CERT_FILE KEY_FILE
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import express from 'express';

const [port = '0', certFile = '', keyFile = ''] = process.argv.slice(2);
const app = express();
app.disable('x-powered-by');
app.set('etag', false);
app.use(express.json({ limit: '3mb' }));
app.get('/readyz', (_req, res) => {
  res.send('ok');
});
app.post('/{*path}', (req, res) => {
  const uid = (req.body as { request?: { uid?: string } }).request?.uid ?? '';
  res.json({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid, allowed: true } });
});
const server = createServer({ cert: readFileSync(certFile), key: readFileSync(keyFile), minVersion: 'TLSv1.2' }, app);
server.keepAliveTimeout = 90_000;
server.listen(Number(port), '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));
