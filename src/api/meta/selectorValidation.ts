/**
 * Validation of metav1.LabelSelector fields in request bodies, as apimachinery 1.32's
 * apis/meta/v1/validation (ValidateLabelSelector and friends): same checks, order, paths, messages.
 * Parsing a selector for matching lives in labels.ts; this only reports field errors.
 */
import { isQualifiedName, isValidLabelValue, validateLabels } from './labels.js';
import { type FieldError, forbidden, invalidValue, required } from './status.js';

export interface LabelSelectorValidationOptions {
  /** Only for updates of objects that were stored with such values by older releases. */
  allowInvalidLabelValueInSelector?: boolean;
  /** Lets an operator this code cannot interpret through (upstream's SubjectAccessReview use). */
  allowUnknownOperatorInRequirement?: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const asString = (v: unknown): string => (typeof v === 'string' ? v : '');
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Upstream ValidateLabelName: the key must be a qualified name; each problem on `fieldPath`. */
export function validateLabelName(labelName: string, fieldPath: string): FieldError[] {
  return isQualifiedName(labelName).map((msg) => invalidValue(fieldPath, labelName, msg));
}

/** A string map as validateLabels expects it; non-string values (already rejected by the schema) read as "". */
function stringMap(v: unknown): Record<string, string> | undefined {
  if (!isObject(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, value] of Object.entries(v)) out[k] = asString(value);
  return out;
}

/**
 * Upstream ValidateLabelSelectorRequirement: operator rules, then the key, then each value.
 * Unknown operators are Invalid on `.operator`.
 */
export function validateLabelSelectorRequirement(
  requirement: unknown,
  opts: LabelSelectorValidationOptions,
  fieldPath: string,
): FieldError[] {
  const errs: FieldError[] = [];
  const r = isObject(requirement) ? requirement : {};
  const operator = asString(r.operator);
  const values = asList(r.values);
  switch (operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) {
        errs.push(required(`${fieldPath}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
      }
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) {
        errs.push(
          forbidden(
            `${fieldPath}.values`,
            "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
          ),
        );
      }
      break;
    default:
      if (!opts.allowUnknownOperatorInRequirement) {
        errs.push(invalidValue(`${fieldPath}.operator`, operator, 'not a valid selector operator'));
      }
  }
  errs.push(...validateLabelName(asString(r.key), `${fieldPath}.key`));
  if (!opts.allowInvalidLabelValueInSelector) {
    values.forEach((v, i) => {
      const value = asString(v);
      for (const msg of isValidLabelValue(value))
        errs.push(invalidValue(`${fieldPath}.values[${i}]`, value, msg));
    });
  }
  return errs;
}

/**
 * Upstream ValidateLabelSelector: nothing for a null selector; matchLabels on `.matchLabels`
 * (keys and values, as labels), then each matchExpressions entry.
 */
export function validateLabelSelector(
  selector: unknown,
  opts: LabelSelectorValidationOptions,
  fieldPath: string,
): FieldError[] {
  if (!isObject(selector)) return [];
  const errs = validateLabels(stringMap(selector.matchLabels), `${fieldPath}.matchLabels`);
  asList(selector.matchExpressions).forEach((expr, i) => {
    errs.push(...validateLabelSelectorRequirement(expr, opts, `${fieldPath}.matchExpressions[${i}]`));
  });
  return errs;
}

/** Upstream LabelSelectorHasInvalidLabelValue: whether an update must keep tolerating old bad values. */
export function labelSelectorHasInvalidLabelValue(selector: unknown): boolean {
  if (!isObject(selector)) return false;
  return asList(selector.matchExpressions).some(
    (e) => isObject(e) && asList(e.values).some((v) => isValidLabelValue(asString(v)).length > 0),
  );
}
