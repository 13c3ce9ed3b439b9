import type { OpenAPIObject } from '@nestjs/swagger';
import { errorBodySchema } from '@app/common';

type Responses = Record<string, { description?: string; content?: Record<string, MediaType> }>;
interface MediaType {
  schema?: { $ref?: string; example?: unknown };
  example?: unknown;
  examples?: unknown;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

const isError = (status: string): boolean => /^[45]/.test(status);

/**
 * Every error an operation answers is the one JSON error body (AllExceptionsFilter renders them all,
 * whatever the route's success type), so each error response is made to reference that schema; the
 * examples a controller gave are kept. Every operation also documents the 400 any request can get:
 * the JSON body parser runs before routing, so a malformed body fails even on a GET.
 */
export function documentErrorResponses(doc: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const responses = operation.responses as Responses;
      for (const [status, response] of Object.entries(responses)) {
        if (isError(status)) response.content = { 'application/json': errorMedia(response.content) };
      }
      if (!Object.keys(responses).some((status) => status.startsWith('4'))) responses['400'] = malformedBody();
      // The REST budgets (core/rate-limit) cover every route but the operators' probes.
      if (!UNLIMITED.test(path)) responses['429'] ??= sharedError(RATE_LIMITED);
      // Any route can meet a dependency outage: the database or Redis unreachable within its bound.
      if (!/^\/metrics/.test(path)) responses['503'] ??= sharedError(UNAVAILABLE);
    }
  }
  return doc;
}

/** The documented examples, whichever way a controller wrote them, under the one error schema. */
function errorMedia(content: Record<string, MediaType> | undefined): MediaType {
  const given = Object.values(content ?? {}).find((media) => media.example !== undefined || media.examples !== undefined || media.schema);
  const example = given?.example ?? given?.schema?.example;
  return {
    schema: errorBodySchema(),
    ...(example !== undefined ? { example } : {}),
    ...(given?.examples !== undefined ? { examples: given.examples } : {}),
  };
}

const UNLIMITED = /^\/(health|metrics)(\/|$)/;

const RATE_LIMITED = {
  description: '`rate_limited`: over the REST budget of this address or of this user on this route; retry after Retry-After seconds',
  example: {
    statusCode: 429,
    error: 'Too Many Requests',
    message: 'Too many requests to this route; slow down',
    code: 'rate_limited',
    retryAfterSeconds: 60,
  },
};

const UNAVAILABLE = {
  description:
    '`database_unavailable` / `redis_unavailable`: a dependency did not answer within its bound; retry after Retry-After seconds',
  example: {
    statusCode: 503,
    error: 'Service Unavailable',
    message: 'The database is unavailable; try again shortly',
    code: 'database_unavailable',
    retryAfterSeconds: 5,
  },
};

function sharedError(what: { description: string; example: unknown }): Responses[string] {
  return { description: what.description, content: { 'application/json': { schema: errorBodySchema(), example: what.example } } };
}

function malformedBody(): Responses[string] {
  return {
    description: '`entity_parse_failed`: the request carried a body that is not valid JSON',
    content: {
      'application/json': {
        schema: errorBodySchema(),
        example: { statusCode: 400, error: 'Bad Request', message: 'Malformed JSON in request body', code: 'entity_parse_failed' },
      },
    },
  };
}
