// puppetdb.conf: server_urls (comma-separated, so each URL must parse and hold no comma): the
// Database's URL when the Config names one (databaseRef; the webhook refuses it beside serverUrls), else
// puppetdb.serverUrls; and soft_write_failure so a PuppetDB outage does not fail agent runs.
import type { ConfigSpec } from '@openvox/shared/runtime';
import { writeIni, IniValueError, type IniScalar } from '../../writers/ini.js';

export function renderPuppetdbConf(spec: ConfigSpec, databaseUrl?: string): string {
  const urls = databaseUrl !== undefined ? [databaseUrl] : (spec.puppetdb?.serverUrls ?? []);
  for (const url of urls) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new IniValueError('main', 'server_urls', `not a URL: ${JSON.stringify(url)}`);
    }
    if (parsed.protocol !== 'https:' || url.includes(',')) {
      throw new IniValueError('main', 'server_urls', `must be an https URL without commas: ${JSON.stringify(url)}`);
    }
  }
  const entries: [string, IniScalar][] = [];
  if (urls.length > 0) entries.push(['server_urls', urls.join(',')]);
  entries.push(['soft_write_failure', true]);
  return writeIni([{ name: 'main', entries }]);
}
