import { ValidationPipe } from '@nestjs/common';

/**
 * Unknown fields are refused (not silently dropped), query strings are converted to the DTO's types, and each
 * message names its field ("name must be shorter than or equal to 100 characters").
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    stopAtFirstError: false,
  });
}
