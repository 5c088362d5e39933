// Field groups of the kinds that call HTTP services (NodeClassifier, ReportProcessor): Secret and
// ConfigMap key references, one authentication method, extra headers. Shapes and CEL rules as in the
// Go operator's v1alpha1 API, so its manifests apply unchanged.
import { Type, bool, str, type Static } from './schema.js';

export const AT_MOST_ONE_AUTH = 'at most one auth method may be set';
export const VALUE_XOR_VALUE_FROM = 'value and valueFrom are mutually exclusive';

export const SecretKeyRef = Type.Object(
  {
    name: str('Name of the Secret (same namespace). Required.'),
    key: str('Key within the Secret. Required.'),
  },
  { description: 'A key of a Secret in the same namespace.' },
);
export type SecretKeyRef = Static<typeof SecretKeyRef>;

export const ConfigMapKeyRef = Type.Object(
  {
    name: str('Name of the ConfigMap (same namespace). Required.'),
    key: str('Key within the ConfigMap. Required.'),
  },
  { description: 'A key of a ConfigMap in the same namespace.' },
);

export const HttpAuth = Type.Object(
  {
    mtls: Type.Optional(bool("Authenticate with the Server's Puppet certificate (mutual TLS).")),
    token: Type.Optional(
      Type.Object(
        {
          header: str('HTTP header that carries the token, for example X-Authentication. Required.'),
          secretKeyRef: { ...SecretKeyRef, description: 'Secret key holding the token. Required.' },
        },
        { description: 'Send a token in a header of your choice.' },
      ),
    ),
    bearer: Type.Optional(
      Type.Object(
        { secretKeyRef: { ...SecretKeyRef, description: 'Secret key holding the token. Required.' } },
        { description: 'Send a token as Authorization: Bearer.' },
      ),
    ),
    basic: Type.Optional(
      Type.Object(
        {
          secretRef: Type.Object(
            {
              name: str('Name of the Secret (same namespace). Required.'),
              usernameKey: Type.Optional(str('Key of the user name in the Secret.', { default: 'username' })),
              passwordKey: Type.Optional(str('Key of the password in the Secret.', { default: 'password' })),
            },
            { description: 'The Secret with the user name and password. Required.' },
          ),
        },
        { description: 'HTTP Basic authentication.' },
      ),
    ),
  },
  {
    description: 'How to authenticate: at most one of mtls, token, bearer and basic; none means no authentication.',
    'x-kubernetes-validations': [
      {
        rule: '(has(self.mtls) && self.mtls ? 1 : 0) + (has(self.token) ? 1 : 0) + (has(self.bearer) ? 1 : 0) + (has(self.basic) ? 1 : 0) <= 1',
        message: AT_MOST_ONE_AUTH,
      },
    ],
  },
);
export type HttpAuth = Static<typeof HttpAuth>;

export const HttpHeader = Type.Object(
  {
    name: str('HTTP header name. Required.'),
    value: Type.Optional(str('Literal header value. Mutually exclusive with valueFrom.')),
    valueFrom: Type.Optional(
      Type.Object(
        {
          secretKeyRef: Type.Optional(SecretKeyRef),
          configMapKeyRef: Type.Optional(ConfigMapKeyRef),
        },
        { description: 'Read the header value from a Secret or ConfigMap key. Mutually exclusive with value.' },
      ),
    ),
  },
  {
    description: 'An extra HTTP header sent with each request.',
    'x-kubernetes-validations': [
      { rule: '!(has(self.value) && size(self.value) > 0 && has(self.valueFrom))', message: VALUE_XOR_VALUE_FROM },
    ],
  },
);
export type HttpHeader = Static<typeof HttpHeader>;
