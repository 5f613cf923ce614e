// A credential written into the URL or a header: anyone who can read the file can use it. The fix
// moves it into a My Token whose value comes from secret storage.
import type { SourceString } from '../../definition/parse';
import type { CredentialFinding } from '../../secrets/credentials';
import type { ValidationContext } from '../context';
import { DIAGNOSTIC_CODES as C } from '../diagnostics';

export function reportCredential(ctx: ValidationContext, source: SourceString, credential: CredentialFinding): void {
  const { offset, length } = ctx.span(source, credential.start, credential.end);
  const tokenName = credential.suggestedToken;
  ctx.sink.warning(
    C.literalCredential,
    `This looks like a literal credential (${credential.what}); anyone who can read this file can use it. Use a token such as \`{{my.${tokenName}}}\` with "my.${tokenName}": { "secret": "${secretName(tokenName)}" } in "test.tokens" (in Marketo, a My Token).`,
    offset, length,
    { tokenName, secretName: secretName(tokenName), literal: source.value.slice(credential.start, credential.end) },
  );
}

function secretName(tokenName: string): string {
  return tokenName.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_|_$/g, '');
}
