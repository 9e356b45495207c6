/** batchd's own version, and the Kubernetes version it serves (the gcloud kubectl dispatcher picks kubectl by minor). */
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

export const BATCHD_VERSION = pkg.version;
export const KUBE_MAJOR = '1';
export const KUBE_MINOR = '32';

export const versionInfo = {
  major: KUBE_MAJOR,
  minor: KUBE_MINOR,
  gitVersion: `v${KUBE_MAJOR}.${KUBE_MINOR}.0+batchd.${BATCHD_VERSION}`,
  gitCommit: '',
  gitTreeState: '',
  buildDate: '',
  goVersion: `node${process.versions.node}`,
  compiler: 'batchd',
  platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
};
