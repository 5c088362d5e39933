// `openvox_http.json`, the endpoints the report processor (report-processor-script.ts) sends each report
// to: one per ReportProcessor of the Config, sorted by name, with resolved headers and TLS files. Pure.
import type { ReportProcessor } from '@openvox/shared/runtime';
import type { ServerLayout } from '../contracts/pod-layout.js';
import type { ResolvedCredentials } from '../http-service/credentials.js';
import { tlsSettings, type TlsSettings } from '../http-service/tls.js';

/** An endpoint's timeout when the ReportProcessor sets none (also the script's own fallback). */
export const REPORT_DEFAULT_TIMEOUT_SECONDS = 30;

export interface ReportEndpoint {
  name: string;
  processor: 'puppetdb' | '';
  url: string;
  timeoutSeconds: number;
  headers: Record<string, string>;
  tls: TlsSettings;
}

export function reportEndpoint(
  rp: ReportProcessor,
  credentials: ResolvedCredentials,
  layout: ServerLayout,
): ReportEndpoint {
  return {
    name: rp.metadata.name!,
    processor: rp.spec.processor === 'puppetdb' ? 'puppetdb' : '',
    url: rp.spec.url,
    timeoutSeconds: rp.spec.timeoutSeconds ?? REPORT_DEFAULT_TIMEOUT_SECONDS,
    headers: credentials.headers,
    tls: tlsSettings(layout, credentials.clientCertificate),
  };
}

export function renderReportSettings(endpoints: readonly ReportEndpoint[]): string {
  const sorted = [...endpoints].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return `${JSON.stringify({ endpoints: sorted }, null, 2)}\n`;
}
