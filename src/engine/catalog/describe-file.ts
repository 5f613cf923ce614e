// A pasted Describe Lead response as a file's text (JSON or JSONC), read alike by the command line
// (--fields, marketo-fields.json) and the extension (the fieldsFile setting, marketo-fields.json);
// each host words the problems its own way.
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { catalogFromDescribe, STANDARD_CATALOG, type FieldCatalog } from './field-catalog';

export type DescribeFileRead =
  /** not JSON: the first syntax error, by name (`InvalidSymbol`), offset and 1-based line */
  | { ok: false; syntaxError: string; offset: number; line: number }
  /** `read` fields found (0: none usable, `errors` say why); `catalog` is the standard one extended by them */
  | { ok: true; catalog: FieldCatalog; errors: string[]; read: number };

export function readDescribeFile(text: string, base: FieldCatalog = STANDARD_CATALOG): DescribeFileRead {
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  const first = errors[0];
  if (first) return { ok: false, syntaxError: printParseErrorCode(first.error), offset: first.offset, line: text.slice(0, first.offset).split('\n').length };
  return { ok: true, ...catalogFromDescribe(value, base) };
}
