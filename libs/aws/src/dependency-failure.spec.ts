import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { ServiceUnavailableError } from '@app/errors';
import { describe, expect, it } from 'vitest';
import { dependencyFailure } from './dependency-failure.js';

describe('dependencyFailure', () => {
  it('reports a refused connection as the dependency being unavailable', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' });

    const translated = dependencyFailure(refused, 'DynamoDB');

    expect(translated).toBeInstanceOf(ServiceUnavailableError);
    expect((translated as Error).message).toBe('DynamoDB is unavailable; try again later');
  });

  it('reports throttling and 5xx answers as unavailability', () => {
    const throttled = Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
    const serverError = Object.assign(new Error('boom'), { $metadata: { httpStatusCode: 503 } });

    expect(dependencyFailure(throttled, 'S3')).toBeInstanceOf(ServiceUnavailableError);
    expect(dependencyFailure(serverError, 'S3')).toBeInstanceOf(ServiceUnavailableError);
  });

  it('leaves a failed condition (a client-side fact, not an outage) unchanged', () => {
    const conditionFailed = new ConditionalCheckFailedException({
      message: 'failed',
      $metadata: { httpStatusCode: 400 },
    });

    expect(dependencyFailure(conditionFailed, 'DynamoDB')).toBe(conditionFailed);
  });
});
