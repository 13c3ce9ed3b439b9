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
  for (const item of Object.values(doc.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const responses = operation.responses as Responses;
      for (const [status, response] of Object.entries(responses)) {
        if (isError(status)) response.content = { 'application/json': errorMedia(response.content) };
      }
      if (!Object.keys(responses).some((status) => status.startsWith('4'))) responses['400'] = malformedBody();
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
