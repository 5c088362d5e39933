// logback.xml: console logging (the container's stdout), one <logger> per Config logger in sorted
// order (the Go operator wrote Go map order, which changed the ConfigMap hash spuriously).
import type { ConfigSpec } from '@openvox/shared/runtime';
import { writeXml, type XmlElement } from '../../writers/xml.js';

export const LOGBACK_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'OFF'] as const;
const PATTERN = '%d %-5p [%t] [%c{2}] %m%n';

function level(value: string, where: string): string {
  const upper = value.toUpperCase();
  if (!(LOGBACK_LEVELS as readonly string[]).includes(upper)) {
    throw new Error(`${where}: unknown log level ${JSON.stringify(value)} (one of ${LOGBACK_LEVELS.join(', ')})`);
  }
  return upper;
}

export function renderLogbackXml(spec: ConfigSpec): string {
  const loggers = spec.logging?.loggers ?? {};
  const loggerElements: XmlElement[] = Object.keys(loggers)
    .sort()
    .map((name) => ({
      name: 'logger',
      attributes: [
        ['name', name],
        ['level', level(loggers[name]!, `logging.loggers[${JSON.stringify(name)}]`)],
      ],
    }));
  return writeXml({
    name: 'configuration',
    attributes: [['scan', 'true']],
    children: [
      {
        name: 'appender',
        attributes: [
          ['name', 'STDOUT'],
          ['class', 'ch.qos.logback.core.ConsoleAppender'],
        ],
        children: [{ name: 'encoder', children: [{ name: 'pattern', text: PATTERN }] }],
      },
      ...loggerElements,
      {
        name: 'root',
        attributes: [['level', level(spec.logging?.level ?? 'INFO', 'logging.level')]],
        children: [{ name: 'appender-ref', attributes: [['ref', 'STDOUT']] }],
      },
    ],
  });
}
