import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiResponse } from '@nestjs/swagger';

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

const descriptions: Record<number, string> = {
  400: 'Invalid input (the message names the fields).',
  401: 'Missing or invalid bearer token.',
  403: 'Only the owner may do this.',
  404: 'Not found.',
  409: 'Conflicts with the current state.',
  413: 'The request body is too large.',
  415: 'The request body’s Content-Type is not accepted here.',
  429: 'Too many writes; try again later.',
  503: 'A dependency is unavailable; try again later.',
};

/** Documents the error responses a route can give, all with the shared error body. */
export function ApiErrorResponses(...statuses: (keyof typeof descriptions)[]) {
  return applyDecorators(
    ...statuses.map((status) => ApiResponse({ status, description: descriptions[status], type: ErrorResponseDto })),
  );
}
