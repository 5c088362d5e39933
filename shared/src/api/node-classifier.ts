// The NodeClassifier kind: an external node classifier (ENC) service that Servers ask for a node's
// classes and parameters (controller/src/node-classifier renders it for the Config's Servers).
import { Type, bool, conditions, int32, observedGeneration, str, stringEnum, type Static } from './schema.js';
import { HttpAuth } from './http-auth.js';
import type { KubeObject } from './meta.js';

export const ACTIVE_PHASES = ['Pending', 'Active', 'Error'] as const;
export const BODY_ONLY_WITH_POST = 'body is only allowed with POST method';
export const METHOD_GET_OR_POST = 'method must be GET or POST';

export const NodeClassifierSpec = Type.Object(
  {
    url: str('Base URL of the classifier service, http or https. Required.'),
    request: Type.Optional(
      Type.Object(
        {
          method: str('HTTP method: GET or POST.', { default: 'GET' }),
          path: str('URL path template; {certname} is replaced by the node name.', { default: '/node/{certname}' }),
          body: Type.Optional(
            stringEnum(
              ['facts', 'certname', ''] as const,
              'What a POST sends: facts (the Puppet facts as JSON), certname (just the name as JSON), or empty for no body. Only with POST.',
            ),
          ),
        },
        {
          description: 'The HTTP request.',
          // A default object must hold its required fields itself (the API server checks it).
          default: { method: 'GET', path: '/node/{certname}' },
          'x-kubernetes-validations': [
            { rule: "self.method == 'GET' || self.method == 'POST'", message: METHOD_GET_OR_POST },
            { rule: "self.method == 'POST' || !has(self.body) || size(self.body) == 0", message: BODY_ONLY_WITH_POST },
          ],
        },
      ),
    ),
    response: Type.Optional(
      Type.Object(
        { format: stringEnum(['yaml', 'json'] as const, 'Format of the answer.', { default: 'yaml' }) },
        { description: 'How to read the answer.', default: { format: 'yaml' } },
      ),
    ),
    timeoutSeconds: Type.Optional(int32('HTTP request timeout in seconds.', { default: 10 })),
    auth: Type.Optional(HttpAuth),
    cache: Type.Optional(
      Type.Object(
        {
          enabled: bool('Cache answers on disk and use them when the service is unreachable.', { default: false }),
          directory: Type.Optional(
            str('Cache directory inside the Server container.', { default: '/var/cache/openvox-enc' }),
          ),
        },
        { description: 'Disk cache of classifier answers.' },
      ),
    ),
  },
  { description: 'Desired state of the NodeClassifier.' },
);

/** The status of a kind that is Active once rendered (NodeClassifier, ReportProcessor), as in the Go API. */
export const activeStatus = (kind: string) =>
  Type.Object(
    {
      phase: Type.Optional(stringEnum(ACTIVE_PHASES, 'Current lifecycle phase.')),
      conditions: Type.Optional(conditions('Condition Ready.')),
      observedGeneration: Type.Optional(observedGeneration),
    },
    { description: `Observed state of the ${kind}, written by the controller.` },
  );

export const NodeClassifierStatus = activeStatus('NodeClassifier');

export type NodeClassifierSpec = Static<typeof NodeClassifierSpec>;
export type NodeClassifierStatus = Static<typeof NodeClassifierStatus>;
export type NodeClassifier = KubeObject<NodeClassifierSpec, NodeClassifierStatus>;
