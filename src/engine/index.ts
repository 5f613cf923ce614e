// The engine's surface for the command line and the editor.
export * from './types';
export * from './api';
export { validateDefinition } from './validate';
export { runDefinition } from './run';
export {
  FieldCatalog, STANDARD_CATALOG, FIELDS_FILE_NAME, catalogFromDescribe, parseDescribeResponse,
} from './field-catalog';
export type { LeadField, FieldDataType } from './field-catalog';
