// The Config kind: configuration shared by the Servers that reference it.
import {
  Type,
  conditions,
  observedGeneration,
  str,
  stringEnum,
  stringList,
  stringMap,
  bool,
  int32,
  type Static,
} from './schema.js';
import { CodeSpec, ImageSpec } from './common.js';
import type { KubeObject } from './meta.js';

export const CONFIG_PHASES = ['Pending', 'Running', 'Error'] as const;
export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const;

const AUTHORIZATION_RULES =
  'Extra auth.conf rules, written after the built-in rules and before the final deny-all rule; puppetserver evaluates rules by sortOrder, then name.';

export const AuthorizationRule = Type.Object(
  {
    name: str('Unique rule name (auth.conf name). Required.'),
    matchRequest: Type.Object(
      {
        path: str('URL path (type path: a prefix) or regular expression (type regex) to match. Required.'),
        type: Type.Optional(stringEnum(['path', 'regex'] as const, 'How path is matched.', { default: 'path' })),
        method: Type.Optional(stringList('HTTP methods to match (get, post, put, delete, head); empty: all.')),
      },
      { description: 'Which requests the rule applies to. Required.' },
    ),
    allow: Type.Optional(
      str('Who is allowed: a certname, a glob or regex such as "*", or "*" for every authenticated client.'),
    ),
    allowUnauthenticated: Type.Optional(bool('Allow requests without a client certificate.')),
    deny: Type.Optional(str('Who is denied: a certname, a glob or regex, or "*" for everyone.')),
    sortOrder: Type.Optional(int32('Evaluation order: lower first; the built-in rules use 500.', { default: 500 })),
  },
  { description: 'One auth.conf rule.' },
);
export type AuthorizationRule = Static<typeof AuthorizationRule>;

export const MetricsSpec = Type.Object(
  {
    enabled: Type.Optional(bool('Write the metrics registries block to metrics.conf.', { default: false })),
    jmx: Type.Optional(
      Type.Object(
        { enabled: Type.Optional(bool('Expose the metrics over JMX.', { default: false })) },
        { description: 'JMX reporter.' },
      ),
    ),
    graphite: Type.Optional(
      Type.Object(
        {
          enabled: Type.Optional(bool('Send the metrics to Graphite.', { default: false })),
          host: Type.Optional(str('Graphite host name. Required when graphite is enabled.')),
          port: Type.Optional(int32('Graphite port.', { default: 2003 })),
          updateIntervalSeconds: Type.Optional(int32('Seconds between two reports.', { default: 60 })),
        },
        { description: 'Graphite reporter.' },
      ),
    ),
  },
  { description: 'puppetserver metrics (metrics.conf).' },
);

export const ConfigSpec = Type.Object(
  {
    image: { ...ImageSpec, description: 'Default container image of the Servers that use this Config. Required.' },
    authorityRef: Type.Optional(str('Name of the CertificateAuthority (same namespace) this configuration trusts.')),
    databaseRef: Type.Optional(
      str(
        'Name of the Database (same namespace) whose URL (status.url) is written to puppetdb.conf server_urls; it also turns on storeconfigs with the puppetdb backend and adds puppetdb to reports. Mutually exclusive with puppetdb.serverUrls.',
      ),
    ),
    nodeClassifierRef: Type.Optional(
      str(
        'Name of the NodeClassifier (same namespace) the Servers ask for node classification. Accepted; this version does not render it yet.',
      ),
    ),
    code: Type.Optional(CodeSpec),
    readOnlyRootFilesystem: Type.Optional(
      bool(
        "Run the openvox-server container with a read-only root filesystem: it writes only to the pod's emptyDirs and volumes (the helper containers always run read-only). Set false for an image that writes elsewhere.",
        { default: true },
      ),
    ),
    puppet: Type.Optional(
      Type.Object(
        {
          environmentPath: Type.Optional(
            str('Directory of the Puppet environments; also where the code volume is mounted.', {
              default: '/etc/puppetlabs/code/environments',
            }),
          ),
          environmentTimeout: Type.Optional(str('How long environments are cached, for example 5m or unlimited.')),
          hieraConfig: Type.Optional(str('Path of hiera.yaml.', { default: '$confdir/hiera.yaml' })),
          storeconfigs: Type.Optional(bool('Enable storeconfigs.', { default: false })),
          storeBackend: Type.Optional(str('Backend of storeconfigs, for example puppetdb.')),
          reports: Type.Optional(str('Comma-separated report processors.', { default: 'store' })),
          extraConfig: Type.Optional(
            Type.Object(
              {
                main: Type.Optional(stringMap('Extra settings of the [main] section of puppet.conf.')),
                server: Type.Optional(stringMap('Extra settings of the [server] section of puppet.conf.')),
                agent: Type.Optional(stringMap('Extra settings of the [agent] section of puppet.conf.')),
              },
              { description: 'Extra puppet.conf settings by section, written in sorted order.' },
            ),
          ),
        },
        { description: 'puppet.conf settings.' },
      ),
    ),
    puppetserver: Type.Optional(
      Type.Object(
        {
          maxRequestsPerInstance: Type.Optional(
            int32('Requests a JRuby instance serves before it is replaced; 0 means no limit.', { default: 0 }),
          ),
          borrowTimeout: Type.Optional(
            int32('Milliseconds a request waits for a free JRuby instance.', { default: 1200000 }),
          ),
          compileMode: Type.Optional(stringEnum(['jit', 'off'] as const, 'JRuby compile mode.', { default: 'off' })),
          clientAuth: Type.Optional(
            stringEnum(['want', 'need', 'none'] as const, 'TLS client authentication mode of the web server.', {
              default: 'want',
            }),
          ),
          httpClient: Type.Optional(
            Type.Object(
              {
                connectTimeoutMs: Type.Optional(
                  int32('Milliseconds an outgoing connection (for example to PuppetDB) may take to open.'),
                ),
                idleTimeoutMs: Type.Optional(int32('Milliseconds an outgoing connection may stay idle.')),
              },
              { description: 'http-client settings of puppetserver.conf for outgoing connections.' },
            ),
          ),
          authorizationRules: Type.Optional(Type.Array(AuthorizationRule, { description: AUTHORIZATION_RULES })),
        },
        { description: 'puppetserver.conf and webserver.conf settings.' },
      ),
    ),
    puppetdb: Type.Optional(
      Type.Object(
        { serverUrls: Type.Optional(stringList('PuppetDB URLs written to puppetdb.conf.')) },
        { description: 'PuppetDB connection.' },
      ),
    ),
    logging: Type.Optional(
      Type.Object(
        {
          level: Type.Optional(stringEnum(LOG_LEVELS, 'Root log level.', { default: 'INFO' })),
          loggers: Type.Optional(stringMap('Log level by logger name, written in sorted order.')),
        },
        { description: 'logback.xml settings.' },
      ),
    ),
    metrics: Type.Optional(MetricsSpec),
  },
  { description: 'Desired state of the Config.' },
);

export const ConfigStatus = Type.Object(
  {
    phase: Type.Optional(stringEnum(CONFIG_PHASES, 'Current lifecycle phase.')),
    configMapName: Type.Optional(str('Name of the rendered ConfigMap ({name}-config).')),
    conditions: Type.Optional(conditions('Condition ConfigReady.')),
    observedGeneration: Type.Optional(observedGeneration),
  },
  { description: 'Observed state of the Config, written by the controller.' },
);

export type ConfigSpec = Static<typeof ConfigSpec>;
export type ConfigStatus = Static<typeof ConfigStatus>;
export type Config = KubeObject<ConfigSpec, ConfigStatus>;
