/** Log line timestamps: nanoseconds since the epoch as bigint, printed as the kubelet prints them. */

/** `2026-11-23T10:00:00.123456789Z`: Go's RFC3339Nano with a fixed nine-digit fraction (the kubelet's log format). */
export function formatLogTime(ns: bigint): string {
  const ms = Number(ns / 1_000_000n);
  const iso = new Date(ms).toISOString(); // 2026-11-23T10:00:00.123Z
  const frac = (ns % 1_000_000_000n).toString().padStart(9, '0');
  return `${iso.slice(0, 19)}.${frac}Z`;
}

export const dateToNs = (d: Date): bigint => BigInt(d.getTime()) * 1_000_000n;
export const nsToDate = (ns: bigint): Date => new Date(Number(ns / 1_000_000n));
