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

export const ConfigSpec = Type.Object(
  {
    image: { ...ImageSpec, description: 'Default container image of the Servers that use this Config. Required.' },
    authorityRef: Type.Optional(str('Name of the CertificateAuthority (same namespace) this configuration trusts.')),
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
