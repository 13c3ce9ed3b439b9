import { chromium } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, startTestApi, type TestApi } from '@test/support';
import { scenario } from '../reliability/summary.js';

const HARDENING = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'SAMEORIGIN',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

describe('response headers', () => {
  let api: TestApi;
  let token: string;
  beforeAll(async () => {
    api = await startTestApi();
    token = (await signUp(api)).accessToken;
  });
  afterAll(async () => {
    await api?.close();
  });

  it('hardens every kind of response (JSON, error, docs, health) and never names the framework', () =>
    scenario('security headers on every response', async (counts) => {
      const responses = await Promise.all([
        request(api.url).get('/profile').set('Authorization', `Bearer ${token}`),
        request(api.url).get('/profile'),
        request(api.url).get('/test-no-such-route'),
        request(api.url).post('/auth/otp/verify').set('Content-Type', 'application/json').send('{bad json'),
        request(api.url).get('/health/live'),
        request(api.url).get('/docs-json'),
      ]);
      expect(responses.map((r) => r.status)).toEqual([200, 401, 404, 400, 200, 200]);
      for (const res of responses) {
        expect(res.headers).toMatchObject(HARDENING);
        expect(res.headers['content-security-policy']).toContain("default-src 'self'");
        expect(res.headers['content-security-policy']).toContain("frame-ancestors 'self'");
        expect(res.headers).not.toHaveProperty('x-powered-by');
        // Plain HTTP: no HSTS (it would be meaningless, and pins local runs to https).
        expect(res.headers).not.toHaveProperty('strict-transport-security');
      }
      counts.note = `${responses.length} kinds of response checked`;
    }));

  it('announces HSTS when the request came over TLS through a trusted proxy', async () => {
    const res = await request(api.url).get('/health/live').set('X-Forwarded-Proto', 'https');
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });

  it('lets Swagger UI work under its CSP (headless Chromium: rendered, no CSP violation)', async () => {
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const violations: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
      });
      await page.goto(`${api.url}/docs`);
      await page.waitForSelector('.swagger-ui .info .title', { timeout: 20_000 });
      await page.waitForSelector('.opblock-tag', { timeout: 20_000 }); // the document was fetched and drawn
      expect(await page.textContent('.swagger-ui .info .title')).toContain('Messaging backend API');
      expect(violations).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
