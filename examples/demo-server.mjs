// A small local stand-in for the web services the example webhooks call, so every example can be
// run for real without an account anywhere. Plain node:http, no dependencies, loopback only.
//
//   node examples/demo-server.mjs            listens on http://127.0.0.1:8787 until Ctrl+C
//   DEMO_PORT=9000 node examples/demo-server.mjs
//
// Endpoints (each answers the way the real kind of service does):
//   POST /enrich/v1/person     enrichment API: JSON keyed by the email it receives; 401 without a
//                              Bearer token, 404 for an unknown person
//   POST /sms/v1/messages      SMS gateway: always 429 Too Many Requests with Retry-After
//   POST /chat/webhook         chat incoming webhook: 200 with an empty body (Marketo's 1001);
//                              400 when the body is not valid JSON with a "text"
//   PUT  /crm/v2/contacts      CRM upsert: answers XML (404 in XML for an unknown contact)
//   GET  /orders/status        order system: 500 Internal Server Error
//   POST /scores/nightly       score sync: 200 JSON (the example is a batch campaign: never called)
//   anything else              404 (405 for a known path with the wrong method)
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

export const DEFAULT_PORT = 8787;
const MAX_BODY_BYTES = 1024 * 1024;
const MAX_RECORDED = 1000;

/** What the enrichment API knows, keyed by lower-cased email address. */
const PEOPLE = {
  'ada@analytical-engines.example': {
    person: { fullName: 'Ada Lovelace', title: 'Head of Computing', seniority: 'executive' },
    company: {
      name: 'Analytical Engines Ltd',
      domain: 'analytical-engines.example',
      metrics: { employees: 1200, annualRevenue: 48000000 },
      tech: ['Salesforce', 'Marketo', 'Slack'],
    },
  },
  'grace@cobol-systems.example': {
    person: { fullName: 'Grace Hopper', title: 'Rear Admiral, Engineering', seniority: 'executive' },
    company: {
      name: 'COBOL Systems Inc.',
      domain: 'cobol-systems.example',
      metrics: { employees: 350, annualRevenue: 12500000 },
      tech: ['HubSpot', 'Zendesk'],
    },
  },
};

/** What the CRM knows: accounts with their contacts, keyed by a contact's email address. */
const CRM = {
  'grace@cobol-systems.example': {
    // No <rating>: this account has not been rated yet, and the CRM leaves empty fields out.
    account: { id: 'ACC-COBOL-7', name: 'COBOL Systems Inc.', industry: 'Software', tier: 'Enterprise' },
    contacts: [
      { email: 'grace@cobol-systems.example', role: 'Decision Maker' },
      { email: 'jean@cobol-systems.example', role: 'Technical Evaluator' },
    ],
  },
};

const ROUTES = {
  '/enrich/v1/person': { POST: enrich },
  '/sms/v1/messages': { POST: sms },
  '/chat/webhook': { POST: chat },
  '/crm/v2/contacts': { PUT: crm },
  '/orders/status': { GET: orderStatus },
  '/scores/nightly': { POST: nightlyScores },
};

function json(status, value, headers = {}) {
  return { status, headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(value, null, 2) };
}

function xml(status, text) {
  return { status, headers: { 'Content-Type': 'application/xml; charset=utf-8' }, body: `<?xml version="1.0" encoding="UTF-8"?>\n${text}\n` };
}

function escapeXml(s) {
  return String(s).replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]);
}

function isJson(req) {
  return /^application\/json\b/i.test(req.headers['content-type'] ?? '');
}

function parseJson(text) {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: error.message };
  }
}

function enrich(req, body) {
  const auth = req.headers.authorization ?? '';
  if (!/^Bearer\s+\S+/i.test(auth)) {
    return json(401, { error: 'unauthorized', message: 'Missing API key: send "Authorization: Bearer <key>".' }, { 'WWW-Authenticate': 'Bearer realm="enrich"' });
  }
  if (!isJson(req)) return json(415, { error: 'unsupported_media_type', message: 'Send the request as Content-Type: application/json.' });
  const parsed = parseJson(body);
  if (!parsed.ok) return json(400, { error: 'invalid_json', message: parsed.message });
  const email = typeof parsed.value?.email === 'string' ? parsed.value.email.trim().toLowerCase() : '';
  if (!email) return json(422, { error: 'missing_email', message: 'The body needs an "email" string.' });
  const record = PEOPLE[email];
  if (!record) return json(404, { error: 'not_found', message: `No person found for ${email}.` });
  return json(200, { person: { email, ...record.person }, company: record.company, requestedAt: new Date().toISOString() });
}

function sms() {
  // A gateway over its sending rate: the body is not even looked at.
  return json(429, {
    code: 20429,
    message: 'Too Many Requests: this sender may send 1 message per second.',
    more_info: 'http://127.0.0.1/docs/errors/20429',
  }, { 'Retry-After': '30' });
}

function chat(req, body) {
  // Like a chat incoming webhook: a JSON body with a "text". Raw line breaks inside a JSON
  // string are invalid JSON, so a template that sends them gets a 400 here, as it would there.
  const parsed = parseJson(body);
  if (!parsed.ok) return { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: `invalid_payload: ${parsed.message}` };
  if (typeof parsed.value?.text !== 'string' || parsed.value.text === '') {
    return { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: 'no_text' };
  }
  return { status: 200, headers: {}, body: '' };
}

function crm(req, body) {
  if (!isJson(req)) return xml(415, '<error><code>UNSUPPORTED_MEDIA_TYPE</code><message>Send JSON (Content-Type: application/json).</message></error>');
  const parsed = parseJson(body);
  if (!parsed.ok) return xml(400, `<error><code>INVALID_JSON</code><message>${escapeXml(parsed.message)}</message></error>`);
  const email = typeof parsed.value?.email === 'string' ? parsed.value.email.trim().toLowerCase() : '';
  const record = CRM[email];
  if (!record) return xml(404, `<error><code>CONTACT_NOT_FOUND</code><message>No contact with email ${escapeXml(email)}.</message></error>`);
  const { account, contacts } = record;
  const lines = [
    '<response>',
    '  <account>',
    ...Object.entries(account).map(([k, v]) => `    <${k}>${escapeXml(v)}</${k}>`),
    '  </account>',
    '  <contacts>',
    ...contacts.map((c) => `    <contact><email>${escapeXml(c.email)}</email><role>${escapeXml(c.role)}</role></contact>`),
    '  </contacts>',
    `  <updatedAt>${new Date().toISOString()}</updatedAt>`,
    '</response>',
  ];
  return xml(200, lines.join('\n'));
}

function orderStatus() {
  return json(500, { error: 'internal_error', message: 'Order database unavailable (connection pool exhausted).', requestId: 'req_demo_500' });
}

function nightlyScores(req, body) {
  const parsed = parseJson(body);
  if (!parsed.ok) return json(400, { error: 'invalid_json', message: parsed.message });
  return json(200, { accepted: true });
}

function route(req, body) {
  const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname.replace(/\/+$/, '') || '/';
  const methods = ROUTES[path];
  if (!methods) return json(404, { error: 'not_found', message: `No demo endpoint for ${req.method} ${path}.` });
  const handler = methods[req.method ?? ''];
  if (!handler) {
    return json(405, { error: 'method_not_allowed', message: `${path} accepts ${Object.keys(methods).join(', ')}.` }, { Allow: Object.keys(methods).join(', ') });
  }
  return handler(req, body);
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * Starts the demo service. `port: 0` picks a free port.
 * Resolves to `{ url, port, requests, close() }`; `requests` lists what the service received
 * (method, path, query, headers, body, status), oldest first, at most the last 1000.
 * `log: true` prints one line per request. Rejects with the listen error (its `code` is
 * `EADDRINUSE` when the port is taken).
 */
export function startDemoServer({ port = DEFAULT_PORT, host = '127.0.0.1', log = false } = {}) {
  if (!LOOPBACK.has(host)) return Promise.reject(new Error(`the demo service only listens on loopback (127.0.0.1), not ${host}`));
  const requests = [];
  const server = createServer((req, res) => {
    const chunks = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let answer;
      try {
        answer = tooLarge ? json(413, { error: 'payload_too_large' }) : route(req, body);
      } catch (error) {
        answer = json(500, { error: 'demo_server_bug', message: String(error) });
      }
      const path = new URL(req.url ?? '/', 'http://127.0.0.1');
      requests.push({ method: req.method, path: path.pathname, query: path.search, headers: { ...req.headers }, body, status: answer.status });
      if (requests.length > MAX_RECORDED) requests.shift();
      if (log) console.log(`[demo] ${req.method} ${req.url} → ${answer.status}`);
      const bytes = Buffer.from(answer.body, 'utf8');
      res.writeHead(answer.status, { ...answer.headers, 'Content-Length': String(bytes.length), Connection: 'close' });
      res.end(bytes);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const actual = server.address().port;
      const shownHost = host.includes(':') ? `[${host}]` : host;
      resolve({
        url: `http://${shownHost}:${actual}`,
        port: actual,
        requests,
        close: () => new Promise((done) => {
          server.close(() => done());
          server.closeAllConnections?.();
        }),
      });
    });
  });
}

async function main() {
  const raw = process.env.DEMO_PORT;
  const port = raw === undefined || raw === '' ? DEFAULT_PORT : Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`DEMO_PORT must be a port number (0-65535), not "${raw}".`);
    process.exit(1);
  }
  let demo;
  try {
    demo = await startDemoServer({ port, log: true });
  } catch (error) {
    if (error?.code === 'EADDRINUSE') {
      console.error(`Port ${port} on 127.0.0.1 is already in use (another demo service?). Stop it, or pick another port: DEMO_PORT=9000 node examples/demo-server.mjs`);
    } else {
      console.error(`The demo service could not start: ${error?.message ?? error}`);
    }
    process.exit(1);
  }
  console.log(`Demo service listening on ${demo.url} (Ctrl+C to stop)`);
  if (demo.port !== DEFAULT_PORT) {
    console.log(`Note: the example definitions call http://127.0.0.1:${DEFAULT_PORT}; copy them and change the URL to use this port.`);
  }
  const stop = () => {
    console.log('\nStopping the demo service.');
    void demo.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
