/**
 * The output of `batchd run`: container logs on stdout, each line prefixed by its pod and container
 * as `kubectl logs --prefix` does; progress on stderr, as a block of lines redrawn in place on a
 * terminal, or one line per finished Job otherwise.
 */

const NL = 0x0a;

/**
 * Cuts one container's log into whole lines with its prefix, holding an unfinished last line back
 * until the rest arrives, so lines of different containers never mix.
 */
export class LinePrefixer {
  private partial: Buffer = Buffer.alloc(0);
  private readonly prefix: Buffer;

  constructor(prefix: string) {
    this.prefix = Buffer.from(prefix);
  }

  /** The whole lines completed by this chunk, prefixed. */
  push(chunk: Buffer): Buffer {
    const data = this.partial.length ? Buffer.concat([this.partial, chunk]) : chunk;
    const last = data.lastIndexOf(NL);
    if (last === -1) {
      this.partial = Buffer.from(data);
      return Buffer.alloc(0);
    }
    this.partial = Buffer.from(data.subarray(last + 1));
    const parts: Buffer[] = [];
    let start = 0;
    while (start <= last) {
      const nl = data.indexOf(NL, start);
      parts.push(this.prefix, data.subarray(start, nl + 1));
      start = nl + 1;
    }
    return Buffer.concat(parts);
  }

  /** An unfinished last line, ended with a newline (the container is done writing). */
  flush(): Buffer {
    if (!this.partial.length) return Buffer.alloc(0);
    const out = Buffer.concat([this.prefix, this.partial, Buffer.from('\n')]);
    this.partial = Buffer.alloc(0);
    return out;
  }
}

/** The kubectl `--prefix` of a container's lines. */
export const logPrefix = (podName: string, containerName: string): string =>
  `[pod/${podName}/${containerName}] `;

/** Cuts a line to the terminal's width so each block line takes exactly one row. */
export function fitLine(line: string, columns: number | undefined): string {
  if (!columns || line.length < columns) return line;
  return `${line.slice(0, Math.max(0, columns - 2))}…`;
}

/** The escape sequence that takes the cursor back over `rows` lines and clears below it. */
export const eraseRows = (rows: number): string => (rows > 0 ? `\x1b[${rows}F\x1b[J` : '');

/** A stream as the run writes to it (process.stdout / process.stderr, or a fake). */
export interface OutStream {
  write(chunk: string | Buffer, cb?: (err?: Error | null) => void): boolean;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/**
 * Writes logs and messages while keeping the progress block (on a terminal) below them: the block
 * is erased before anything else reaches the terminal and drawn again after.
 */
export class RunOutput {
  private block: string[] = [];
  private drawn = 0;

  constructor(
    private readonly stdout: OutStream,
    private readonly stderr: OutStream,
  ) {}

  /** Progress redrawn in place (stderr is a terminal) or only finish lines printed. */
  get live(): boolean {
    return this.stderr.isTTY === true;
  }

  /** Container log lines; waits until the stream has taken them (backpressure). */
  async log(chunk: Buffer): Promise<void> {
    if (!chunk.length) return;
    const sharesTerminal = this.live && this.stdout.isTTY === true;
    if (sharesTerminal) this.erase();
    await new Promise<void>((resolve, reject) => {
      this.stdout.write(chunk, (err) => (err ? reject(err) : resolve()));
    });
    if (sharesTerminal) this.draw();
  }

  /** A message on stderr above the block (warnings, finish lines, the final word). */
  message(text: string): void {
    this.erase();
    this.stderr.write(`${text}\n`);
    this.draw();
  }

  /** Replaces the progress block (a terminal only). */
  progress(lines: readonly string[]): void {
    if (!this.live) return;
    if (lines.length === this.block.length && lines.every((l, i) => l === this.block[i])) return;
    this.erase();
    this.block = [...lines];
    this.draw();
  }

  /** Leaves the block on screen as it stands; later messages go below it. */
  close(): void {
    this.block = [];
    this.drawn = 0;
  }

  private erase(): void {
    if (!this.live || !this.drawn) return;
    this.stderr.write(eraseRows(this.drawn));
    this.drawn = 0;
  }

  private draw(): void {
    if (!this.live || !this.block.length) return;
    this.stderr.write(this.block.map((l) => `${fitLine(l, this.stderr.columns)}\n`).join(''));
    this.drawn = this.block.length;
  }
}

/** Resolves once everything written so far has been handed to the OS (before process.exit). */
export function flushed(stream: OutStream): Promise<void> {
  return new Promise((resolve) => {
    stream.write('', () => resolve());
  });
}
