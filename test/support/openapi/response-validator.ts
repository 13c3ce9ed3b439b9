import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { readFileSync } from 'node:fs';

// ajv-formats is CommonJS with its plugin on `default`.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = { [key: string]: Json };
interface Operation {
  parameters?: Array<{ name: string; in: string; example?: unknown; schema?: { example?: unknown } }>;
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

/** What the validator needs of a response (supertest's Response has these). */
export interface CheckedResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  text?: string;
}

/**
 * Paths the API serves that are not part of it: Swagger UI and the document itself, and the Bull
 * Board UI. Routes under `/test-` are test-only controllers a suite mounts (startTestApi's
 * `controllers`); nothing else may answer without being documented.
 */
const NOT_API = [/^\/docs(-json|-yaml)?(\/|$)/, /^\/admin\/queues(\/|$)/, /^\/test-/];

/**
 * Checks HTTP responses against an OpenAPI 3.0 document the way a generated client reads it: the
 * route and method exist, the status is documented, the content type is one the operation declares,
 * and a JSON body matches its schema (required means present, non-nullable means never null).
 */
export class ResponseValidator {
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  private readonly routes: Array<{ template: string; pattern: RegExp; methods: Record<string, Operation> }>;
  private readonly compiled = new Map<Schema, ValidateFunction>();

  constructor(document: object) {
    const doc = document as OpenApiDocument;
    addFormats(this.ajv);
    this.ajv.addFormat('binary', true);
    this.ajv.addSchema({ components: { schemas: toJsonSchemaMap(doc.components?.schemas ?? {}) } }, 'openapi');
    this.routes = Object.entries(doc.paths)
      .map(([template, methods]) => ({ template, methods, pattern: templatePattern(template, Object.values(methods)) }))
      // A literal segment wins over a parameter (`/users/me` before `/users/{id}`).
      .sort((a, b) => paramCount(a.template) - paramCount(b.template));
  }

  static fromFile(path: URL | string): ResponseValidator {
    return new ResponseValidator(JSON.parse(readFileSync(path, 'utf8')) as object);
  }

  /** Whether the validator checks requests to this path at all (see NOT_API). */
  covers(pathname: string): boolean {
    return !NOT_API.some((pattern) => pattern.test(pathname));
  }

  /** The problems with one response, empty when it is as documented. */
  check(method: string, url: string, res: CheckedResponse): string[] {
    const pathname = new URL(url, 'http://localhost').pathname;
    const verb = method.toLowerCase();
    const route = this.routes.find((r) => r.pattern.test(pathname) && r.methods[verb]);
    if (!route) return [`${method.toUpperCase()} ${pathname} is not in docs/openapi.json`];
    const where = `${method.toUpperCase()} ${route.template} ${res.status}`;
    const operation = route.methods[verb];
    const documented =
      operation.responses[String(res.status)] ?? operation.responses[`${String(res.status)[0]}XX`] ?? operation.responses.default;
    if (!documented)
      return [`${where}: status ${res.status} is not documented (documented: ${Object.keys(operation.responses).join(', ')})`];
    const mediaType = String(res.headers['content-type'] ?? '')
      .split(';')[0]
      .trim();
    const hasBody = verb !== 'head' && res.status !== 204 && res.status !== 304 && (res.text ?? '') !== '';
    if (!hasBody) return [];
    const content = documented.content ?? {};
    if (!(mediaType in content) && !('*/*' in content)) {
      return [`${where}: content type "${mediaType}" is not documented (documented: ${Object.keys(content).join(', ') || 'no body'})`];
    }
    const schema = content[mediaType]?.schema;
    if (!schema || mediaType !== 'application/json') return [];
    const validate = this.validatorFor(schema);
    if (validate(res.body)) return [];
    return (validate.errors ?? []).map((e) => `${where}: body${e.instancePath} ${e.message ?? 'is invalid'} ${JSON.stringify(e.params)}`);
  }

  private validatorFor(schema: Schema): ValidateFunction {
    let validate = this.compiled.get(schema);
    if (!validate) {
      validate = this.ajv.compile(toJsonSchema(schema) as Schema);
      this.compiled.set(schema, validate);
    }
    return validate;
  }
}

/**
 * `/chats/{id}` -> a regex of the path. A parameter is one segment, unless the document's example of
 * it has a `/` (an object key such as `avatars/<id>/<name>.jpg`): then it spans segments.
 */
function templatePattern(template: string, operations: Operation[]): RegExp {
  const params = operations.flatMap((op) => op.parameters ?? []).filter((p) => p.in === 'path');
  const spansSegments = (name: string): boolean =>
    params.some((p) => p.name === name && [p.example, p.schema?.example].some((e) => typeof e === 'string' && e.includes('/')));
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => {
      if (!part.startsWith('{')) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      return spansSegments(part.slice(1, -1)) ? '.+' : '[^/]+';
    })
    .join('');
  return new RegExp(`^${source}/?$`);
}

const paramCount = (template: string): number => (template.match(/\{/g) ?? []).length;

function toJsonSchemaMap(schemas: Record<string, Json>): Record<string, Json> {
  return Object.fromEntries(Object.entries(schemas).map(([name, s]) => [name, toJsonSchema(s)]));
}

/**
 * OpenAPI 3.0 schema -> JSON Schema for Ajv, read strictly as OpenAPI 3.0.3 says: `nullable: true`
 * adds null to the `type` beside it and to nothing else (a nullable `allOf: [{ $ref }]` still refuses
 * null, as a strict client does). References point into the document's components; annotation-only
 * keywords are dropped.
 */
function toJsonSchema(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(schema)) {
    // Property names are data, not keywords (a property may be called "example").
    if (key === 'properties' && value && typeof value === 'object' && !Array.isArray(value)) out[key] = toJsonSchemaMap(value);
    else if (key === '$ref' && typeof value === 'string') out[key] = value.replace(/^#\/components\//, 'openapi#/components/');
    else if (!ANNOTATIONS.has(key)) out[key] = toJsonSchema(value);
  }
  if (schema.nullable === true && typeof schema.type === 'string') out.type = [schema.type, 'null'];
  return out;
}

const ANNOTATIONS = new Set(['example', 'examples', 'nullable', 'xml', 'externalDocs', 'discriminator']);
