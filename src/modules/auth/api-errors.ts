import { ApiError } from '@app/common';

export const ApiValidation = (): MethodDecorator & ClassDecorator =>
  ApiError(400, 'Malformed body: every offending field is listed', [
    ['validation_failed', 'identifier: identifier must be a string', { fields: { identifier: ['identifier must be a string'] } }],
    ['invalid_identifier', 'identifier: not a valid phone number for GB', { fields: { identifier: ['not a valid phone number for GB'] } }],
  ]);
