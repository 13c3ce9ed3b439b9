export { AllExceptionsFilter } from './all-exceptions.filter.js';
export { AppError } from './app-error.js';
export { type ErrorBody, toErrorBody } from './error-body.js';
export { type DependencyFailure, dependencyFailure } from './dependency-errors.js';
export { ApiError, ApiErrors, ApiUnauthorized, errorBodySchema, errorExample } from './api-error-docs.js';
export { ErrorBodyDto } from './error-body.dto.js';
