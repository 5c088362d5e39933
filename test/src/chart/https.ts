// A JSON POST over HTTPS that trusts one CA, as the API server calls a webhook.
import { readFileSync } from 'node:fs';
import { request } from 'node:https';

// The tests read fields of the answer; its shape is checked by their assertions.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function postJson(url: string, caFile: string, body: unknown): Promise<any> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = request(
      url,
      {
        method: 'POST',
        ca: readFileSync(caFile),
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) },
        agent: false,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          try {
            resolve(JSON.parse(text));
          } catch {
            reject(new Error(`${url}: HTTP ${res.statusCode}: ${text}`));
          }
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
