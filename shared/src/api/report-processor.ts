// The ReportProcessor kind: an HTTP endpoint that receives every agent report of a Config's Servers
// (generic JSON or the PuppetDB wire format); controller/src/report-processor renders it for the Servers.
import { Type, int32, str, stringEnum, type Static } from './schema.js';
import { HttpAuth, HttpHeader } from './http-auth.js';
import { activeStatus } from './node-classifier.js';
import type { KubeObject } from './meta.js';

export const ReportProcessorSpec = Type.Object(
  {
    configRef: str('Name of the Config (same namespace) whose Servers forward their reports. Required.'),
    processor: Type.Optional(
      stringEnum(
        ['puppetdb', ''] as const,
        'Payload format: puppetdb (PuppetDB wire format v8) or empty for the report as generic JSON.',
      ),
    ),
    url: str('Endpoint the reports are sent to, http or https. Required.'),
    timeoutSeconds: Type.Optional(int32('HTTP request timeout in seconds.', { default: 30 })),
    auth: Type.Optional(HttpAuth),
    headers: Type.Optional(Type.Array(HttpHeader, { description: 'Extra HTTP headers sent with each report.' })),
  },
  { description: 'Desired state of the ReportProcessor.' },
);

export const ReportProcessorStatus = activeStatus('ReportProcessor');

export type ReportProcessorSpec = Static<typeof ReportProcessorSpec>;
export type ReportProcessorStatus = Static<typeof ReportProcessorStatus>;
export type ReportProcessor = KubeObject<ReportProcessorSpec, ReportProcessorStatus>;
