// The REST base of a Marketo instance (`https://123-ABC-456.mktorest.com`), as the user gives it.
import { MarketoConfigError } from './errors';

/**
 * Checks the base URL and returns it without a trailing slash. Admin > Integration > Web Services
 * shows the REST endpoint as `<base>/rest` and the identity one as `<base>/identity`: either is
 * taken for the base. Only https is accepted, since the client secret and the access token travel
 * on it; plain http only to this machine (127.0.0.1, ::1, localhost), where the tests' fake
 * Marketo runs.
 */
export function marketoBaseUrl(text: string): string {
  const trimmed = text.trim();
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new MarketoConfigError(`The Marketo base URL "${trimmed}" is not a URL; it looks like https://123-ABC-456.mktorest.com.`);
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new MarketoConfigError(`The Marketo base URL must start with https:// (the client secret and access token travel on it), not "${url.protocol}//".`);
  }
  if (url.username !== '' || url.password !== '') throw new MarketoConfigError('The Marketo base URL must not hold a user name or password.');
  if (url.search !== '' || url.hash !== '') throw new MarketoConfigError('The Marketo base URL must not have a query (?) or fragment (#).');
  const path = url.pathname.replace(/\/+$/, '').replace(/\/(rest|identity)$/i, '');
  return `${url.origin}${path}`;
}
