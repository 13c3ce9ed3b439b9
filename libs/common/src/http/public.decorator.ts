import { applyDecorators, SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'isPublic';

// @nestjs/swagger's metadata key for security requirements (its DECORATORS.API_SECURITY, not exported).
// An empty list documents the operation as `security: []`, overriding the document-wide bearer
// requirement; test/foundation/openapi.e2e-spec.ts fails if the key stops working.
const SWAGGER_SECURITY = 'swagger/apiSecurity';

/** Opts a route out of the global JWT guard (health, metrics, sign-in), and documents it as needing no token. */
export const Public = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(IS_PUBLIC, true), SetMetadata(SWAGGER_SECURITY, []));
