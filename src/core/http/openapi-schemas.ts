import type { OpenAPIObject } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';

type Node = { [key: string]: unknown };

/** What OpenAPI 3.0 has for "null and nothing else": nullable adds null to the type, the enum keeps only it. */
const NULL_ONLY = { type: 'object', nullable: true, enum: [null] };

/**
 * A nullable reference, as Nest writes it (`{ nullable: true, allOf: [{ $ref }] }`), allows no null:
 * OpenAPI 3.0.3 makes `nullable` add null to `type` only, and the allOf member still refuses it. So
 * each becomes `anyOf: [{ $ref }, null-only]`, which a strict validator and a client generator both
 * read as "the object or null".
 */
export function documentNullableRefs(doc: OpenAPIObject): OpenAPIObject {
  walk(doc, (node) => {
    const allOf = node.allOf;
    if (node.nullable !== true || !Array.isArray(allOf) || allOf.length !== 1 || !(allOf[0] as Node).$ref) return;
    delete node.nullable;
    delete node.allOf;
    if (node.type === 'object') delete node.type;
    node.anyOf = [allOf[0], { ...NULL_ONLY }];
  });
  return doc;
}

/**
 * A request field the validation pipe lets a client omit (@IsOptional) is optional in the document,
 * whatever its @ApiProperty says, so a generated client does not demand it. Schemas are matched to
 * DTO classes by name (Nest names each schema after its class).
 */
export function documentOptionalFields(doc: OpenAPIObject): OpenAPIObject {
  const schemas = (doc.components?.schemas ?? {}) as Record<string, { required?: string[] }>;
  for (const [target, metadata] of validationMetadataByClass()) {
    const schema = schemas[target.name];
    if (!schema?.required) continue;
    const optional = new Set(metadata.filter((m) => m.name === 'isOptional').map((m) => m.propertyName));
    schema.required = schema.required.filter((property) => !optional.has(property));
    if (schema.required.length === 0) delete schema.required;
  }
  return doc;
}

/** class-validator keeps its metadata by target class in a private map; there is no public way to list the classes. */
function validationMetadataByClass(): Map<{ name: string }, Array<{ name?: string; propertyName: string }>> {
  const map = (getMetadataStorage() as unknown as { validationMetadatas?: unknown }).validationMetadatas;
  if (!(map instanceof Map)) throw new Error('class-validator changed how it stores metadata: update documentOptionalFields');
  return map as Map<{ name: string }, Array<{ name?: string; propertyName: string }>>;
}

function walk(node: unknown, visit: (node: Node) => void): void {
  if (Array.isArray(node)) for (const item of node) walk(item, visit);
  else if (node && typeof node === 'object') {
    visit(node as Node);
    for (const value of Object.values(node)) walk(value, visit);
  }
}
