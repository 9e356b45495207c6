/**
 * The name a write is recorded under: the `fieldManager` parameter, else the User-Agent up to
 * its first '/' (`kubectl-client-side-apply/v1.32.0 (linux/amd64)` → `kubectl-client-side-apply`).
 */
import { type FieldError, GoValue, invalidValue, required, tooLong } from '../../api/meta/status.js';
import { goQuote, isGoPrintable as isPrint } from './value.js';

export const FIELD_MANAGER_MAX_LENGTH = 128;

const utf8Length = (s: string): number => Buffer.byteLength(s, 'utf8');

/** managerOrUserAgent: non-printable characters dropped, cut to 128 bytes without splitting a character. */
export function fieldManagerFor(fieldManager: string | undefined, userAgent: string | undefined): string {
  if (fieldManager) return fieldManager;
  const prefix = (userAgent ?? '').split('/')[0] ?? '';
  let out = '';
  for (const ch of prefix) {
    if (!isPrint(ch)) continue;
    if (utf8Length(out) + utf8Length(ch) > FIELD_MANAGER_MAX_LENGTH) break;
    out += ch;
  }
  return out;
}

/**
 * Upstream's ValidateFieldManager (errors on `fieldManager` of the options kind), plus the
 * apply rule that the name is required. The handler answers 422 on `PatchOptions.meta.k8s.io`.
 */
export function validateFieldManager(fieldManager: string, forApply = false): FieldError[] {
  const errs: FieldError[] = [];
  if (forApply && fieldManager === '') {
    errs.push(required('fieldManager', 'is required for apply patch'));
  }
  if (utf8Length(fieldManager) > FIELD_MANAGER_MAX_LENGTH)
    errs.push(tooLong('fieldManager', FIELD_MANAGER_MAX_LENGTH));
  let at = 0;
  for (const ch of fieldManager) {
    if (!isPrint(ch)) {
      const code = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
      // field.Invalid prints a string value with Go's %q.
      const value = new GoValue(goQuote(fieldManager));
      errs.push(invalidValue('fieldManager', value, `invalid character U+${code} (at position ${at})`));
    }
    at += utf8Length(ch);
  }
  return errs;
}
