// services.d/ca.cfg variants. Fixed text: trapperkeeper bootstrap files list one service per line.
const WATCHER = 'puppetlabs.trapperkeeper.services.watcher.filesystem-watch-service/filesystem-watch-service';

export const CA_ENABLED_CFG = [
  '# CA role: the certificate authority service runs in this pod',
  'puppetlabs.services.ca.certificate-authority-service/certificate-authority-service',
  WATCHER,
  '',
].join('\n');

export const CA_DISABLED_CFG = [
  '# Catalog role only: certificates come from the operator',
  'puppetlabs.services.ca.certificate-authority-disabled-service/certificate-authority-disabled-service',
  WATCHER,
  '',
].join('\n');
