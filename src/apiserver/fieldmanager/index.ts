/** managedFields and server-side apply: what the registry and the handler call. */
export {
  ApplyConflictError,
  type Conflict,
  conflictMessage,
  MergeConflicts,
  printManager,
} from './conflict.js';
export {
  type ApplyPatchOptions,
  type ApplyPatchResult,
  applyPatch,
  type UpdateManagedFieldsOptions,
  updateManagedFields,
} from './fieldManager.js';
export { FieldSet } from './fieldSet.js';
export { type FieldsV1, fromFieldsV1, toFieldsV1 } from './fieldsV1.js';
export { LAST_APPLIED_ANNOTATION } from './lastApplied.js';
export { DEFAULT_MAX_UPDATE_MANAGERS, ManagedFieldsError } from './managedFields.js';
export { FIELD_MANAGER_MAX_LENGTH, fieldManagerFor, validateFieldManager } from './managerName.js';
export { type Path, type PathElement, pathString } from './pathElement.js';
export { resetFieldsFor } from './resetFields.js';
export { TypedValueError } from './typed.js';
