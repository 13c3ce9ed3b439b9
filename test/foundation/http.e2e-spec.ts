import { Body, Controller, Post } from '@nestjs/common';
import { IsInt, IsString, Max, MinLength } from 'class-validator';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '@test/support';
import { Public } from '../../src/core/http/public.decorator.js';

class EchoDto {
  @IsString()
  @MinLength(2)
  name!: string;

  @IsInt()
  @Max(10)
  count!: number;
}

// A throwaway route: the global pipe and filter are what is under test, not this controller.
@Controller('test-echo')
class EchoController {
  @Public()
  @Post()
  echo(@Body() body: EchoDto): EchoDto {
    return body;
  }

  @Public()
  @Post('boom')
  boom(): never {
    throw new Error('mongodb://admin:hunter2@db.internal failed');
  }
}

describe('HTTP conventions', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ HTTP_BODY_LIMIT_BYTES: '2048' }, { controllers: [EchoController] });
  });
  afterAll(() => api.close());

  it('echoes a given X-Request-Id and generates one otherwise', async () => {
    const given = await request(api.url).get('/health/live').set('X-Request-Id', 'req-123');
    expect(given.headers['x-request-id']).toBe('req-123');
    const generated = await request(api.url).get('/health/live');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers an unexpected error with a generic 500 that leaks nothing', async () => {
    const res = await request(api.url).post('/test-echo/boom').set('X-Request-Id', 'boom-1');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'Internal server error', requestId: 'boom-1' });
    expect(JSON.stringify(res.body)).not.toContain('hunter2');
  });

  it('answers unknown routes with a 404 in the error shape', async () => {
    // Under /test-: the response validator fails any other route docs/openapi.json does not list.
    const res = await request(api.url).get('/test-no/such/route').set('X-Request-Id', 'nf-1');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'Cannot GET /test-no/such/route', requestId: 'nf-1' });
  });

  it('answers malformed JSON with a 400 in the error shape', async () => {
    const res = await request(api.url)
      .post('/test-echo')
      .set('Content-Type', 'application/json')
      .set('X-Request-Id', 'bad-json')
      .send('{"name": ');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      statusCode: 400,
      error: 'Bad Request',
      message: 'Malformed JSON in request body',
      requestId: 'bad-json',
    });
  });

  it('lists every offending field in a validation error', async () => {
    const res = await request(api.url).post('/test-echo').send({ name: 'x', count: 99 });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    expect(Object.keys(res.body.fields).sort()).toEqual(['count', 'name']);
    expect(res.body.message).toEqual(expect.arrayContaining([expect.stringMatching(/^name: /), expect.stringMatching(/^count: /)]));
    expect(typeof res.body.requestId).toBe('string');
  });

  it('refuses fields that are not in the DTO and operator payloads', async () => {
    const extra = await request(api.url).post('/test-echo').send({ name: 'ok', count: 1, role: 'admin' });
    expect(extra.status).toBe(400);
    expect(extra.body.fields).toHaveProperty('role');
    const operator = await request(api.url)
      .post('/test-echo')
      .send({ name: { $gt: '' }, count: 1 });
    expect(operator.status).toBe(400);
    expect(operator.body.message).toEqual(['name.$gt: keys starting with $ or containing . are not allowed']);
  });

  it('accepts a valid body and transforms it', async () => {
    const res = await request(api.url).post('/test-echo').send({ name: 'ok', count: 3 });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ name: 'ok', count: 3 });
  });

  it('refuses bodies over the configured limit with 413', async () => {
    const res = await request(api.url)
      .post('/test-echo')
      .send({ name: 'x'.repeat(5000), count: 1 });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ statusCode: 413, message: 'Request body is too large' });
  });

  it('serves the OpenAPI document with bearer auth declared, and Swagger UI', async () => {
    const json = await request(api.url).get('/docs-json');
    expect(json.status).toBe(200);
    expect(json.body.openapi).toMatch(/^3\./);
    expect(json.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(json.body.paths['/health/ready']).toBeDefined();
    const ui = await request(api.url).get('/docs/');
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger-ui');
  });

  it('exposes Prometheus metrics by route pattern', async () => {
    await request(api.url).get('/health/live');
    const res = await request(api.url).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/health\/live",status="200"\} \d+/);
    expect(res.text).toContain('nodejs_eventloop_lag_seconds');
    expect(res.text).toContain('socketio_connections');
    expect(res.text).toMatch(/bullmq_queue_jobs\{queue="worker",state="waiting"\} \d+/);
  });
});
