// Every check a definition goes through, in the order they run. One list, one entry per rule
// (validate/rules/), as httpYac registers its hooks: a new rule is one file and one line here.
// The order is part of the result: diagnostics at one position keep it, and past MAX_DIAGNOSTICS
// the earlier rules' are the ones kept. Each place's rule checks its tokens first (rules/tokens.ts).
import type { ValidationRule } from './context';
import { formBodyRule } from './rules/form-body';
import { headersRule } from './rules/headers';
import { jsonBodyRule } from './rules/json-body';
import { responseMappingsRule } from './rules/response-mappings';
import { templateRule } from './rules/template';
import { testSectionRule } from './rules/test-section';
import { urlRule } from './rules/url';

export const VALIDATION_RULES: readonly ValidationRule[] = [
  urlRule,
  headersRule,
  templateRule,
  jsonBodyRule,
  formBodyRule,
  responseMappingsRule,
  testSectionRule,
];
