import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '@test/support';

describe('OpenAPI of the QR and connections routes', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('documents every route with its error codes', async () => {
    const doc = (await request(api.url).get('/docs-json')).body as { paths: Record<string, Record<string, { responses: object }>> };
    const routes: [string, string, number[]][] = [
      ['/qr', 'post', [201, 400, 401]],
      ['/qr/scan', 'post', [201, 400, 404, 409, 410]],
      ['/connections', 'get', [200, 400]],
      ['/connections/requests', 'get', [200]],
      ['/connections/requests/{id}/accept', 'post', [200, 403, 404, 409, 410]],
      ['/connections/requests/{id}/reject', 'post', [200, 403, 404, 409, 410]],
      ['/connections/requests/{id}', 'delete', [204, 403, 404, 409, 410]],
      ['/connections/{userId}', 'delete', [204, 404]],
      ['/blocks', 'get', [200]],
      ['/blocks/{userId}', 'post', [201, 400, 404]],
      ['/blocks/{userId}', 'delete', [204, 404]],
    ];
    for (const [path, method, statuses] of routes) {
      const op = doc.paths[path]?.[method];
      expect(op, `${method} ${path}`).toBeDefined();
      expect(Object.keys(op.responses).map(Number)).toEqual(expect.arrayContaining(statuses));
    }
    expect(JSON.stringify(doc.paths['/qr/scan'])).toContain('qr_replaced');
  });
});
