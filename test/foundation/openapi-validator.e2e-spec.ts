import { describe, expect, it } from 'vitest';
import { ResponseValidator } from '../support/openapi/response-validator.js';

// The validator every suite runs (test/support/openapi/validate-responses.setup.ts), on a small document:
// each way a response can drift from the document is caught.
const doc = {
  paths: {
    '/things/{id}': {
      get: {
        responses: {
          '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
          '404': {
            content: { 'application/json': { schema: { type: 'object', required: ['code'], properties: { code: { type: 'string' } } } } },
          },
        },
      },
    },
    '/things/mine': { get: { responses: { '204': {} } } },
    '/files/{key}': {
      get: {
        parameters: [{ name: 'key', in: 'path', schema: { type: 'string', example: 'avatars/1/a.jpg' } }],
        responses: { '200': { content: { 'image/jpeg': { schema: { type: 'string', format: 'binary' } } } } },
      },
    },
  },
  components: {
    schemas: {
      Thing: {
        type: 'object',
        required: ['id', 'parent', 'example'],
        properties: {
          id: { type: 'string', example: 'a' },
          parent: { anyOf: [{ $ref: '#/components/schemas/Ref' }, { type: 'object', nullable: true, enum: [null] }] },
          // How Nest writes a nullable reference: OpenAPI 3.0.3 lets no null through it.
          strictParent: { allOf: [{ $ref: '#/components/schemas/Ref' }], nullable: true },
          count: { type: 'integer', nullable: true },
          example: { type: 'string' },
          note: { type: 'string' },
        },
      },
      Ref: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
    },
  },
};
const json = (status: number, body: unknown) => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body,
  text: JSON.stringify(body),
});

describe('OpenAPI response validator', () => {
  const validator = new ResponseValidator(doc);

  it('accepts a response as documented, nullable and optional fields included', () => {
    expect(validator.check('GET', 'http://h/things/1', json(200, { id: '1', parent: null, example: 'x' }))).toEqual([]);
    expect(validator.check('GET', 'http://h/things/1', json(200, { id: '1', parent: { id: '0' }, example: 'x', note: 'n' }))).toEqual([]);
    expect(validator.check('GET', 'http://h/things/mine', { status: 204, headers: {}, body: {}, text: '' })).toEqual([]);
  });

  it('refuses a missing required field, a null the document does not allow, and a wrong type', () => {
    expect(validator.check('GET', 'http://h/things/1', json(200, { id: '1', parent: null }))).toEqual([
      expect.stringContaining("must have required property 'example'"),
    ]);
    expect(validator.check('GET', 'http://h/things/1', json(200, { id: null, parent: { id: '0' }, example: 'x' }))).toEqual([
      expect.stringContaining('body/id must be string'),
    ]);
    expect(validator.check('GET', 'http://h/things/1', json(200, { id: '1', parent: {}, example: 'x' })).join()).toContain('body/parent');
    expect(validator.check('GET', 'http://h/things/1', json(200, { id: '1', parent: null, example: 'x', count: null }))).toEqual([]);
    expect(validator.check('GET', 'http://h/things/1', json(200, { id: '1', parent: null, example: 'x', strictParent: null }))).not.toEqual(
      [],
    );
  });

  it('refuses an undocumented route, method, status or content type', () => {
    expect(validator.check('GET', 'http://h/nothing', json(200, {}))).toEqual(['GET /nothing is not in docs/openapi.json']);
    expect(validator.check('DELETE', 'http://h/things/1', json(200, {}))).toEqual(['DELETE /things/1 is not in docs/openapi.json']);
    expect(validator.check('GET', 'http://h/things/1', json(500, {}))[0]).toContain('status 500 is not documented');
    const html = { status: 200, headers: { 'content-type': 'text/html' }, body: {}, text: '<p>' };
    expect(validator.check('GET', 'http://h/things/1', html)[0]).toContain('content type "text/html" is not documented');
  });

  it('checks error bodies too, and prefers a literal path segment over a parameter', () => {
    expect(validator.check('GET', 'http://h/things/1', json(404, { message: 'no' }))[0]).toContain("required property 'code'");
    expect(validator.check('GET', 'http://h/things/mine', json(200, {}))[0]).toContain('status 200 is not documented');
  });

  it('lets a parameter whose documented example has a slash span path segments', () => {
    const jpeg = { status: 200, headers: { 'content-type': 'image/jpeg' }, body: {}, text: 'bytes' };
    expect(validator.check('GET', 'http://h/files/avatars/1/a.jpg', jpeg)).toEqual([]);
    expect(validator.check('GET', 'http://h/things/1/2', json(200, {}))).toEqual(['GET /things/1/2 is not in docs/openapi.json']);
  });

  it('leaves the non-API pages and test-only routes alone', () => {
    expect(['/docs', '/docs-json', '/admin/queues/api/queues', '/test-echo/x'].map((p) => validator.covers(p))).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect(validator.covers('/chats')).toBe(true);
  });
});
