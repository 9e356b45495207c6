import { mkdir, realpath } from 'node:fs/promises';
import { dirname } from 'node:path';
import { stringify } from 'yaml';
import { writeFileAtomic } from './credentials.js';

export interface KubeconfigOptions {
  /** The API server URL, e.g. `https://127.0.0.1:6443`. */
  server: string;
  caCertPem: string;
  token: string;
  /** Name of the cluster, user and context; `batchd` unless given. */
  name?: string;
}

/**
 * Renders a kubeconfig with one cluster, user and context, all named `opts.name` (default
 * `batchd`), and that context current. The CA is embedded so the file works on its own.
 *
 * @example
 * kubeconfigYaml({ server: 'https://127.0.0.1:6443', caCertPem, token });
 */
export function kubeconfigYaml(opts: KubeconfigOptions): string {
  const name = opts.name ?? 'batchd';
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name,
        cluster: {
          server: opts.server,
          'certificate-authority-data': Buffer.from(opts.caCertPem, 'utf8').toString('base64'),
        },
      },
    ],
    users: [{ name, user: { token: opts.token } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    'current-context': name,
    preferences: {},
  };
  // lineWidth 0: never fold long scalars; the base64 CA is one long line that kubectl reads as-is.
  return stringify(config, { lineWidth: 0 });
}

/**
 * Writes {@link kubeconfigYaml} to `path` with mode 0600 (it holds a bearer token), atomically, so
 * a kubectl reading it concurrently sees the old file or the new one. Replaces the whole file;
 * it does not merge into an existing kubeconfig.
 *
 * @example
 * await writeKubeconfig(join(dataDir, 'kubeconfig'), { server, caCertPem: creds.caCertPem, token: creds.token });
 */
export async function writeKubeconfig(path: string, opts: KubeconfigOptions): Promise<void> {
  // Write through a symlink (dotfile managers link ~/.kube/config) instead of replacing the link.
  const target = await realpath(path).catch(() => path);
  await mkdir(dirname(target), { recursive: true, mode: 0o700 });
  await writeFileAtomic(target, kubeconfigYaml(opts), 0o600);
}
