/**
 * `$(VAR)` references in env values, command and args, expanded as the kubelet does
 * (third_party/forked/golang/expansion): `$$` is an escaped `$`, an unknown `$(VAR)` stays as
 * written, and a `$` before anything else is kept.
 */

/** Expands every `$(NAME)` in input with lookup(NAME); unknown names are left verbatim. */
export function expand(input: string, lookup: (name: string) => string | undefined): string {
  if (!input.includes('$')) return input;
  let out = '';
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (c !== '$' || i + 1 >= input.length) {
      out += c;
      i++;
      continue;
    }
    const next = input[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (next === '(') {
      const close = input.indexOf(')', i + 2);
      if (close === -1) {
        // An unterminated reference is kept as written; scanning goes on after its `$(`.
        out += '$(';
        i += 2;
        continue;
      }
      const name = input.slice(i + 2, close);
      const value = name ? lookup(name) : undefined;
      out += value ?? `$(${name})`;
      i = close + 1;
      continue;
    }
    out += `$${next}`;
    i += 2;
  }
  return out;
}
