// Validation of a definition: the Marketo rules a webhook must follow, each reported with a stable
// code and the exact range of the offending text. This file parses and runs the rules of
// VALIDATION_RULES (rules.ts) over one context (context.ts); each rule is a file in rules/.
import type { ValidateOptions, ValidateResult } from '../api';
import { STANDARD_CATALOG } from '../catalog/field-catalog';
import { parseDefinition, type ParsedDefinition } from '../definition/parse';
import type { Diagnostic } from '../types';
import { ValidationContext } from './context';
import { DIAGNOSTIC_CODES as C } from './diagnostics';
import { VALIDATION_RULES } from './rules';

export function validateDefinition(text: string, options: ValidateOptions = {}): ValidateResult {
  const catalog = options.catalog ?? STANDARD_CATALOG;
  let parsed: ParsedDefinition;
  try {
    parsed = parseDefinition(text);
  } catch (error) {
    // jsonc-parser recurses per nesting level; a hostile file can exhaust the stack.
    return { diagnostics: [internalProblem(error)] };
  }
  if (parsed.definition) {
    // One context for all the rules: what they share is worked out once.
    const ctx = new ValidationContext(parsed, catalog);
    for (const rule of VALIDATION_RULES) rule.check(ctx);
  }
  const result: ValidateResult = { diagnostics: parsed.sink.sorted() };
  if (parsed.definition) result.definition = parsed.definition;
  return result;
}

function internalProblem(error: unknown): Diagnostic {
  const tooDeep = error instanceof RangeError;
  return {
    severity: 'error',
    code: C.syntaxError,
    message: tooDeep ? 'This file is nested too deeply to be a webhook definition.' : `This file could not be read: ${String(error)}`,
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
  };
}
