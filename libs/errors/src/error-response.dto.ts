import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiResponse } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';

/** The one error body the API returns, whatever failed. */
export class ErrorResponseDto {
  @ApiProperty({ example: 404 })
  statusCode!: number;

  @ApiProperty({ example: 'Not Found', description: 'The HTTP reason phrase.' })
  error!: string;

  @ApiProperty({
    example: 'Group 3f1c… does not exist',
    description: 'What went wrong, for people. Validation errors name each offending field.',
  })
  message!: string;
}

/** Each status the API answers with the shared body: what it means, and a body it really sends. */
const errors: Record<number, { description: string; message: string }> = {
  400: {
    description: 'Invalid input (the message names the fields).',
    message: 'title must be shorter than or equal to 200 characters',
  },
  401: { description: 'Missing or invalid bearer token.', message: 'A bearer token is required' },
  403: { description: 'Only the owner may do this.', message: 'Only the owner of an image may upload a photo for it' },
  404: { description: 'Not found.', message: 'Image 5b2e4c1a-9d3f-4e6a-8b7c-1d2e3f4a5b6c does not exist' },
  409: {
    description: 'Conflicts with the current state.',
    message: 'Group 3f1c2a8e-1f5d-4c1e-9a7b-2d3e4f5a6b7c still holds images; delete them first',
  },
  413: { description: 'The request body is too large.', message: 'The request body is too large' },
  415: {
    description: 'The request body’s Content-Type is not accepted here.',
    message: 'The request body must be JSON (Content-Type: application/json)',
  },
  429: {
    description: 'Too many writes; try again later.',
    message: 'Too many writes: at most 1000 a minute; try again later',
  },
  503: {
    description: 'A dependency is unavailable; try again later.',
    message: 'DynamoDB is unavailable; try again later',
  },
};

/** Documents the error responses a route can give, all with the shared error body and an example of it. */
export function ApiErrorResponses(...statuses: (keyof typeof errors)[]) {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: errors[status]!.description,
        type: ErrorResponseDto,
        example: { statusCode: status, error: STATUS_CODES[status], message: errors[status]!.message },
      }),
    ),
  );
}
