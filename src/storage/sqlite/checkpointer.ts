/**
 * WAL checkpoints on a worker thread. A checkpoint copies the WAL into the database file and
 * fsyncs it: tens to hundreds of milliseconds that, on the event loop, would stall every request
 * and watch. The store turns SQLite's automatic checkpoints off and this worker, with a connection
 * of its own, checkpoints whenever asked, at most one at a time: PASSIVE, which copies the WAL
 * without waiting for or blocking the writer, and RESTART only when the WAL has grown large
 * under writes too steady to leave a gap; journal_size_limit trims the file when it restarts.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** The worker: a CommonJS script (eval), so it can require the native binding directly. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.binding);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
parentPort.on('message', () => {
  try {
    const [done] = db.pragma('wal_checkpoint(PASSIVE)');
    if (done && done.log > workerData.restartFrames) db.pragma('wal_checkpoint(RESTART)');
    parentPort.postMessage(null);
  } catch (err) {
    parentPort.postMessage(String(err && err.message || err));
  }
});
`;

const binding = createRequire(import.meta.url).resolve('better-sqlite3');

/**
 * Above this many WAL frames (4 KiB each) a checkpoint also RESTARTs the WAL. Below it, the next
 * write after a complete PASSIVE checkpoint starts the WAL over by itself; RESTART would make
 * that write wait for the checkpoint's fsync, a stall of up to hundreds of milliseconds here.
 */
const RESTART_FRAMES = 4096;

export class Checkpointer {
  /** Started at the first request: most short-lived stores (tests) never need one. */
  private worker: Worker | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private waiting: ((err?: string | null) => void) | undefined;

  constructor(
    private readonly file: string,
    private readonly onError: (message: string) => void,
  ) {}

  private start(): Worker {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file: this.file, binding, restartFrames: RESTART_FRAMES },
    });
    worker.unref();
    worker.on('message', (err: string | null) => this.waiting?.(err));
    worker.on('error', (err) => {
      this.onError(err.message);
      this.worker = undefined;
      this.waiting?.(null);
    });
    return worker;
  }

  /** Asks for a checkpoint; one asked for while one runs follows it. Resolves when it is done. */
  request(): Promise<void> {
    if (this.running !== undefined) {
      this.again = true;
      return this.running;
    }
    this.running = this.once().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        void this.request();
      }
    });
    return this.running;
  }

  private once(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting = (err) => {
        this.waiting = undefined;
        if (err) this.onError(err);
        resolve();
      };
      this.worker ??= this.start();
      this.worker.postMessage(null);
    });
  }

  /** Waits for a running checkpoint, then ends the worker. */
  async close(): Promise<void> {
    this.again = false;
    await this.running;
    await this.worker?.terminate();
    this.worker = undefined;
  }
}
