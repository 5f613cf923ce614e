// Validation is the rules of one list (src/engine/validate/rules.ts): every rule module is in it,
// once, and in the order that decides which diagnostics are kept past the limit.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ValidationRule } from '../../src/engine/validate/context';
import { VALIDATION_RULES } from '../../src/engine/validate/rules';

function isRule(value: unknown): value is ValidationRule {
  return typeof value === 'object' && value !== null && typeof (value as ValidationRule).id === 'string' && typeof (value as ValidationRule).check === 'function';
}

describe('the validation rules', () => {
  it('run in the order of the definition: each place, then the mappings, then the test section', () => {
    assert.deepEqual(VALIDATION_RULES.map((r) => r.id), ['url', 'headers', 'template', 'json-body', 'form-body', 'response-mappings', 'test-section']);
  });

  it('are each registered once: a rule module outside the list would never run', async () => {
    const dir = join(__dirname, '..', '..', 'src', 'engine', 'validate', 'rules');
    const exported: ValidationRule[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.js'))) {
      const module = (await import(join(dir, file))) as Record<string, unknown>;
      exported.push(...Object.values(module).filter(isRule));
    }
    assert.equal(new Set(VALIDATION_RULES).size, VALIDATION_RULES.length, 'no rule twice');
    assert.deepEqual(exported.filter((r) => !VALIDATION_RULES.includes(r)).map((r) => r.id), [], 'rules not in VALIDATION_RULES');
    assert.equal(exported.length, VALIDATION_RULES.length);
  });
});
