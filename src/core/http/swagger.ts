import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ErrorBodyDto } from '@app/common';
import { documentErrorResponses } from './openapi-errors.js';
import { documentNullableRefs, documentOptionalFields } from './openapi-schemas.js';

export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Messaging backend API')
    .setDescription(
      'REST API of the messaging backend. Socket.IO events are described in docs/asyncapi.yaml. ' +
        'Every error has the ErrorBodyDto shape { statusCode, error, message, code?, requestId? }.',
    )
    .setVersion('0.1.0')
    // Relative: the API is served from wherever this document is.
    .addServer('/')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .addSecurityRequirements('bearer')
    .build();
  // package.json's licence: proprietary, so there is no licence text to link (redocly.yaml says why its url rule is off).
  config.info.license = { name: 'UNLICENSED' };
  const doc = SwaggerModule.createDocument(app, config, { extraModels: [ErrorBodyDto] });
  return documentOptionalFields(documentNullableRefs(documentErrorResponses(doc)));
}

/** Swagger UI at /docs and the OpenAPI JSON at /docs-json. */
export function setupSwagger(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => createOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
    swaggerOptions: { persistAuthorization: true },
  });
}
