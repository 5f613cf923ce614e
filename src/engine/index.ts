// The engine's public entry for the command line and the editor: validation, the field catalog,
// and what the editor's language features read. A run's own code (sending, reading the answer,
// mappings, outcomes) is the second entry, ./run-engine, which the extension loads on the first run.
// Nothing outside src/engine imports a module behind these two files (eslint.config.mjs enforces it);
// src/engine/README.md maps the rooms behind them.
export * from './types';
export * from './api';
// every limit, once (src/engine/limits.ts)
export * from './limits';
export { validateDefinition } from './validate/validate';
export { DIAGNOSTIC_CODES } from './validate/diagnostics';

// definition/: the file, its keys, its outline, and where a cursor stands in it
export { definitionTooLargeMessage, parseDefinition } from './definition/parse';
export { DEFINITION_KEYS, MAPPING_KEYS, TEST_KEYS, type KeyInfo } from './definition/keys';
export { definitionOutline, type OutlineKind, type OutlineSymbol } from './definition/outline';
export { definitionFileName, nameProblem, starterDefinition } from './definition/starter';
export { cursorContext, elementAt, type KeyContext, type KeyElement, type Span, type TokenAtCursor, type ValueContext, type ValueElement } from './definition/cursor-context';
export { jsonFragment } from './definition/json-string';

// tokens/: what a token is, its namespaces, and how a value goes into the request
export { scanTokens, type Token } from './tokens/scan';
export {
  COMPANY_TOKENS, companyTokenField, LEAD_OWNER_TOKENS, leadFieldName, namespaceOf, NAMESPACES, normalizeTokenKey, systemTokenValue,
  takesTestTokenValue, unhandled, type NamespaceId, type NamespaceInfo,
} from './tokens/namespaces';
export { jsonTokenType, numberTokenKeys, type TokenPlace } from './tokens/encoding';
export { parseTokensText, type TokensParse } from './tokens/tokens-file';

// catalog/: lead fields and sample leads
export {
  FieldCatalog, STANDARD_CATALOG, FIELDS_FILE_NAME, catalogFromDescribe, parseDescribeResponse,
  type LeadField, type FieldDataType,
} from './catalog/field-catalog';
export { resolveMarketoField } from './catalog/marketo-field';
export { readDescribeFile, type DescribeFileRead } from './catalog/describe-file';
export { leadFromValue, leadValue, leadValueText, parseLeadText, type SampleLead } from './catalog/sample-lead';
export { isAbsolutePath, sampleLeadSource, type SampleLeadChoices, type SampleLeadSource } from './catalog/lead-source';

// outcome/: the Response Attribute grammar (hover, the last response's paths) and the behaviour doc
export { formatResponsePath, parseResponsePath, type PathSegment } from './outcome/response-path';
export { BEHAVIOUR_ANCHORS, BEHAVIOUR_DOC } from './outcome/assumptions';

// text/: the one bounded cache, for the hosts' caches too, and where a text may be cut short
export { BoundedCache, type BoundedCacheOptions } from './text/bounded-cache';
export { cutEnd } from './text/cut';

// http/ and secrets/: what the panel and the secret prompt need without loading a run
export { curlFor } from './http/curl';
export { headerValue } from './http/headers';
export { MASK, maskText, secretForms, secretTooShort, SECRET_TOO_SHORT } from './secrets/mask';

// marketo/: what pull writes and the base URL check, without the client (which sends: ./run-engine)
export { LEAD_FILES_PATTERN, leadKeyFrom, oneEmailAddress, positiveId, pullFileName, pullFileText, type LeadKey, type PullTarget } from './marketo/pull-files';
export { marketoBaseUrl } from './marketo/base-url';
