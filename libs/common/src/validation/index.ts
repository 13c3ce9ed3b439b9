export { AppValidationPipe } from './validation.pipe.js';
export { findOperatorKey, flattenValidationErrors, OPERATOR_KEY_MESSAGE, validationFailed } from './validation-errors.js';
export { PageQueryDto } from './page-query.dto.js';
