export {
  ConflictError,
  DomainError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  ServiceUnavailableError,
  UnauthenticatedError,
} from './domain-errors.js';
export { ApiErrorResponses, ErrorResponseDto } from './error-response.dto.js';
export { describeError } from './describe-error.js';
