/**
 * Bad input to `batchd run`, printed the way `kubectl create -f` prints it: one problem alone in
 * kubectl's special forms (`The Job "x" is invalid: ...`, `error: ...`), several as one line each
 * (`Error from server (Invalid): error when creating "FILE": ...`).
 */
import type { Status } from '../api/meta/status.js';

/** A problem found on this side (file, YAML, kind), or an answer of the API to a create. */
export type InputProblem =
  | { readonly kind: 'client'; readonly message: string }
  | { readonly kind: 'server'; readonly status: Status; readonly source: string };

export const clientProblem = (message: string): InputProblem => ({ kind: 'client', message });

export const serverProblem = (status: Status, source: string): InputProblem => ({
  kind: 'server',
  status,
  source,
});

/** kubectl adds the file to an API error's message: `error when creating "FILE": ...`. */
const withSource = (p: { status: Status; source: string }): string =>
  `error when creating ${JSON.stringify(p.source)}: ${p.status.message ?? ''}`;

/** kubectl's one-line form of an API error: its reason, then the message. */
function serverLine(p: { status: Status; source: string }): string {
  const reason = p.status.reason;
  return reason ? `Error from server (${reason}): ${withSource(p)}` : `Error from server: ${withSource(p)}`;
}

/** kubectl's form of a lone 422: the kind and name, then each cause (a bullet list when several). */
function invalidText(status: Status): string {
  const d = status.details;
  const head = d
    ? `The ${d.kind ?? ''} ${JSON.stringify(d.name ?? '')} is invalid`
    : 'The request is invalid';
  const causes = (d?.causes ?? []).map((c) =>
    c.field ? `${c.field}: ${c.message ?? ''}` : (c.message ?? ''),
  );
  if (causes.length === 0) return head;
  if (causes.length === 1) return `${head}: ${causes[0]}`;
  return `${head}: \n${causes.map((c) => `* ${c}`).join('\n')}`;
}

/** The text kubectl would print on stderr for these problems, ending in a newline. */
export function formatProblems(problems: readonly InputProblem[]): string {
  const [only] = problems;
  if (problems.length === 1 && only) {
    if (only.kind === 'client')
      return `${only.message.startsWith('error: ') ? only.message : `error: ${only.message}`}\n`;
    if (only.status.reason === 'Invalid') return `${invalidText(only.status)}\n`;
    return `${serverLine(only)}\n`;
  }
  return problems.map((p) => `${p.kind === 'client' ? p.message : serverLine(p)}\n`).join('');
}
