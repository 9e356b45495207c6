/** The batchd command line. */
import { relative } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { BATCHD_VERSION, KUBE_MAJOR, KUBE_MINOR } from '../version.js';
import { serve, UserError } from './serve.js';

function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535)
    throw new InvalidArgumentError('a port is a number from 0 to 65535.');
  return n;
}

export async function main(argv: string[]): Promise<void> {
  const program = new Command('batchd')
    .description('Kubernetes batch/v1 Jobs and CronJobs on one machine, with no cluster')
    .showHelpAfterError();

  program
    .command('serve')
    .description('run the API server, controllers and node agent')
    .option('--data-dir <dir>', 'where state, certificates and the kubeconfig live', './.batchd')
    .option('--port <n>', 'HTTPS port (0 picks a free one)', port, 6443)
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .action(async (opts: { dataDir: string; port: number; host: string }) => {
      let running: Awaited<ReturnType<typeof serve>>;
      try {
        running = await serve(opts);
      } catch (err) {
        if (err instanceof UserError) {
          console.error(`batchd: ${err.message}`);
          process.exit(1);
        }
        throw err;
      }
      const rel = relative(process.cwd(), running.kubeconfig);
      const shown = rel && !rel.startsWith('..') ? rel : running.kubeconfig;
      console.log(`batchd ${BATCHD_VERSION} serving ${running.url} — export KUBECONFIG=${shown}`);
      let stopping = false;
      const shutdown = (signal: string) => {
        if (stopping) return;
        stopping = true;
        running.stop().then(
          () => process.exit(0),
          (err: unknown) => {
            console.error(`batchd: error during ${signal} shutdown: ${String(err)}`);
            process.exit(1);
          },
        );
      };
      process.on('SIGTERM', () => shutdown('SIGTERM'));
      process.on('SIGINT', () => shutdown('SIGINT'));
    });

  program
    .command('version')
    .description('print the batchd version and the Kubernetes API version it serves')
    .action(() => {
      console.log(`batchd ${BATCHD_VERSION} (Kubernetes API v${KUBE_MAJOR}.${KUBE_MINOR})`);
    });

  await program.parseAsync(argv);
}
