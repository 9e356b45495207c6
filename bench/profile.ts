/**
 * Top frames of a V8 CPU profile (`node --cpu-prof`), by self and by inclusive time, with dist/
 * positions mapped back to src/ through the build's source maps.
 *
 *   node --import tsx bench/create.ts --cpu-prof /tmp/prof     # batchd writes a .cpuprofile on exit
 *   node --import tsx bench/profile.ts /tmp/prof/*.cpuprofile [--top 30]
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ROOT } from './lib/processes.js';
import { fixed, markdownTable } from './lib/report.js';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
  /** Samples per source line (1-based, generated code) while this node was on top. */
  positionTicks?: Array<{ line: number; ticks: number }>;
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const maps = new Map<string, SourceMap | undefined>();

function sourceMapFor(url: string): SourceMap | undefined {
  if (!maps.has(url)) {
    let map: SourceMap | undefined;
    try {
      const file = `${fileURLToPath(url)}.map`;
      if (existsSync(file)) map = new SourceMap(JSON.parse(readFileSync(file, 'utf8')));
    } catch {
      map = undefined;
    }
    maps.set(url, map);
  }
  return maps.get(url);
}

/** A generated (0-based) position as `src/…ts:line` when a source map knows it, else `dist/…js:line`. */
function position(url: string, line0: number, column: number | undefined): string {
  let file = url;
  let line = line0 + 1;
  const map = url.startsWith('file:') ? sourceMapFor(url) : undefined;
  if (map) {
    // Without a column, take the first mapping on the line.
    const columns = column === undefined ? Array.from({ length: 40 }, (_, i) => i * 4) : [column];
    for (const c of columns) {
      const entry = map.findEntry(line0, c);
      if ('originalSource' in entry && entry.generatedLine === line0 && entry.originalSource) {
        file = new URL(entry.originalSource, url).href;
        line = entry.originalLine + 1;
        break;
      }
    }
  }
  if (file.startsWith('file:')) file = relative(ROOT, fileURLToPath(file));
  return `${file}:${line}`;
}

/** `src/apiserver/registry.ts:301 create` for our code, `node:internal/… fn` for the rest. */
function where(frame: CallFrame): string {
  const name = frame.functionName || '(anonymous)';
  if (!frame.url) return name;
  return `${position(frame.url, frame.lineNumber, frame.columnNumber)} ${name}`;
}

/** Self samples per source line, over every frame with line-level ticks. */
function hotLines(profile: CpuProfile): Array<{ line: string; share: number }> {
  const ticks = new Map<string, number>();
  for (const n of profile.nodes) {
    if (!n.callFrame.url) continue;
    for (const t of n.positionTicks ?? []) {
      const key = `${position(n.callFrame.url, t.line - 1, undefined)} (in ${n.callFrame.functionName || 'anonymous'})`;
      ticks.set(key, (ticks.get(key) ?? 0) + t.ticks);
    }
  }
  const total = profile.samples.length;
  return [...ticks].map(([line, n]) => ({ line, share: n / total })).sort((a, b) => b.share - a.share);
}

/** Self and inclusive milliseconds per frame location, and the profile's length. */
export function topFrames(profile: CpuProfile): {
  totalMs: number;
  rows: Array<{ frame: string; selfMs: number; totalMs: number }>;
} {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = new Map(profile.nodes.map((n) => [n.id, where(n.callFrame)]));
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let totalMs = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    totalMs += ms;
    const own = label.get(id) ?? '?';
    self.set(own, (self.get(own) ?? 0) + ms);
    // Each location counts once per sample, however often it recurs on the stack.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const l = label.get(at) ?? '?';
      if (seen.has(l) || !byId.has(at)) continue;
      seen.add(l);
      total.set(l, (total.get(l) ?? 0) + ms);
    }
  });
  const rows = [...total.keys()].map((frame) => ({
    frame,
    selfMs: self.get(frame) ?? 0,
    totalMs: total.get(frame) ?? 0,
  }));
  return { totalMs, rows };
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '30' } },
});
const top = Number(values.top);
for (const file of positionals) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const { totalMs, rows } = topFrames(profile);
  const idle = rows.find((r) => r.frame === '(idle)')?.selfMs ?? 0;
  const busy = totalMs - idle;
  const pct = (ms: number) => `${fixed((ms / busy) * 100, 1)} %`;
  console.log(`\n${file}: ${fixed(totalMs / 1000, 1)} s profiled, ${fixed(busy / 1000, 1)} s not idle\n`);
  const skip = new Set(['(idle)', '(root)', '(program)']);
  const table = (key: 'selfMs' | 'totalMs') =>
    markdownTable(
      ['frame', 'self', 'inclusive'],
      rows
        .filter((r) => !skip.has(r.frame))
        .sort((a, b) => b[key] - a[key])
        .slice(0, top)
        .map((r) => [r.frame, pct(r.selfMs), pct(r.totalMs)]),
    );
  console.log(`By self time (share of non-idle time):\n\n${table('selfMs')}\n`);
  console.log(`By inclusive time:\n\n${table('totalMs')}\n`);
  const gc = rows.find((r) => r.frame === '(garbage collector)')?.selfMs ?? 0;
  const program = rows.find((r) => r.frame === '(program)')?.selfMs ?? 0;
  console.log(`(garbage collector) ${pct(gc)}, (program) ${pct(program)}\n`);
  const busyShare = busy / totalMs;
  const lines = hotLines(profile)
    .slice(0, top)
    .map((l) => [l.line, `${fixed((l.share / busyShare) * 100, 1)} %`]);
  console.log(
    `Hottest lines (self samples, share of non-idle time):\n\n${markdownTable(['line', 'self'], lines)}`,
  );
}
