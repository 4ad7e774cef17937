// HTTP hygiene: security headers on every response, the browser page's own CSP (its inline script
// and style by hash, nothing else), no token in localStorage, and CORS for the origins of CORS_ORIGINS
// with preflights answered before authentication.
import { createHash } from 'node:crypto';
import { loadConfig } from '../../src/config';
import { startTestGateway, type TestGateway } from '../support/gateway';

const FRONTEND = 'https://dashboard.example.cn';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway({ corsOrigins: [FRONTEND] });
});
afterAll(() => t?.stop());
const base = () => t.gateway.url.replace(/\/graphql$/, '');
const token = () => t.token('COUNTY', 'YGT-340621-SX');
const post = (headers: Record<string, string> = {}) =>
  fetch(t.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: '{ viewer { role } }' }) });

describe('security headers', () => {
  test('every response carries nosniff, no-referrer, no framing and a CSP: health, GraphQL, 401, 404', async () => {
    const responses = {
      healthz: await fetch(`${base()}/healthz`),
      readyz: await fetch(`${base()}/readyz`),
      graphql: await post({ authorization: `Bearer ${token()}` }),
      unauthenticated: await post(),
      notFound: await fetch(`${base()}/nothing-here`),
    };
    expect(responses.graphql.status).toBe(200);
    expect(responses.unauthenticated.status).toBe(401);
    for (const [name, response] of Object.entries(responses)) {
      const h = response.headers;
      expect([name, h.get('x-content-type-options'), h.get('referrer-policy'), h.get('x-frame-options')]).toEqual([name, 'nosniff', 'no-referrer', 'DENY']);
      // The 404 is the gateway's JSON now (Express's HTML page replaced the CSP with its own).
      expect([name, h.get('content-security-policy')]).toEqual([name, "default-src 'none';frame-ancestors 'none'"]);
      expect(h.get('x-powered-by')).toBeNull();
    }
  });

  test('the browser page allows exactly its own inline script and style (by hash), its own origin, and no framing', async () => {
    const page = await fetch(t.gateway.url, { headers: { accept: 'text/html' } });
    const html = await page.text();
    const csp = page.headers.get('content-security-policy')!;
    const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
    const sha = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]);
    expect(directives).toEqual({
      'default-src': ["'none'"],
      'script-src': scripts.map(sha),
      'style-src': styles.map(sha),
      'connect-src': ["'self'"],
      'img-src': ['data:'],
      'base-uri': ["'none'"],
      'form-action': ["'none'"],
      'frame-ancestors': ["'none'"],
    });
    // No inline handlers (a hash does not cover them) and no token kept past the browser tab.
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).not.toMatch(/localStorage/);
    expect(scripts[0]).toMatch(/sessionStorage/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('CORS', () => {
  test('CORS_ORIGINS is a comma-separated list of origins, none by default', () => {
    expect(loadConfig({}).corsOrigins).toEqual([]);
    expect(loadConfig({ CORS_ORIGINS: `${FRONTEND}, http://10.1.2.3:8080` }).corsOrigins).toEqual([FRONTEND, 'http://10.1.2.3:8080']);
    expect(() => loadConfig({ CORS_ORIGINS: 'https://dashboard.example.cn/' })).toThrow(/CORS_ORIGINS/);
    expect(() => loadConfig({ CORS_ORIGINS: '*' })).toThrow(/CORS_ORIGINS/);
  });

  test('a preflight from an allowed origin is answered without a token, allowing Authorization and Content-Type', async () => {
    const preflight = await fetch(t.gateway.url, {
      method: 'OPTIONS',
      headers: { origin: FRONTEND, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(FRONTEND);
    expect(preflight.headers.get('access-control-allow-methods')).toMatch(/POST/);
    expect(preflight.headers.get('access-control-allow-headers')!.toLowerCase().split(',')).toEqual(expect.arrayContaining(['authorization', 'content-type']));
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
    expect(preflight.headers.get('x-content-type-options')).toBe('nosniff');
  });

  test('the request itself, and its 401 and 429 answers, are readable by the allowed origin', async () => {
    const ok = await post({ origin: FRONTEND, authorization: `Bearer ${token()}` });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(FRONTEND);
    expect(ok.headers.get('access-control-expose-headers')).toBe('Retry-After');
    const refused = await post({ origin: FRONTEND });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe(FRONTEND);
  });

  test('another origin gets no CORS headers, and its preflight never reaches the bearer check', async () => {
    const preflight = await fetch(t.gateway.url, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const request = await post({ origin: 'https://evil.example', authorization: `Bearer ${token()}` });
    expect(request.headers.get('access-control-allow-origin')).toBeNull();
  });
});
