import {
  ConditionalCheckFailedException,
  DynamoDBServiceException,
  InternalServerError,
  ProvisionedThroughputExceededException,
  ReplicatedWriteConflictException,
  RequestLimitExceeded,
  ResourceNotFoundException as TableNotFound,
  ThrottlingException,
  TransactionCanceledException,
  TransactionConflictException,
  TransactionInProgressException,
} from '@aws-sdk/client-dynamodb';
import { ForbiddenException, GoneException, LimitExceededException } from '@aws-sdk/client-apigatewaymanagementapi';
import {
  EC2ThrottledException,
  InvalidRequestContentException,
  ResourceNotFoundException as FunctionNotFound,
  ServiceException,
  TooManyRequestsException,
} from '@aws-sdk/client-lambda';
import { NoSuchKey, S3ServiceException } from '@aws-sdk/client-s3';
import { QueueDoesNotExist, RequestThrottled } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { isThrottlingAwsError, isTransientAwsError } from './transient-error.js';

type ExceptionClass = new (options: { message: string; $metadata: { httpStatusCode: number } }) => Error;

/** A service exception as the SDK's deserializer builds it: its class, the service's message, the HTTP status. */
const thrown = (Exception: ExceptionClass, httpStatusCode: number) =>
  new Exception({ message: 'as the service said', $metadata: { httpStatusCode } });
/** An error code that has no class of its own (S3's SlowDown, DynamoDB's ValidationException), under its base class. */
const coded = (
  Base: typeof S3ServiceException | typeof DynamoDBServiceException,
  name: string,
  httpStatusCode: number,
) => new Base({ name, $fault: httpStatusCode >= 500 ? 'server' : 'client', $metadata: { httpStatusCode } });
/** What Node and the SDK's HTTP handler throw before any answer (no $metadata status). */
const systemError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:8000`), { code });
const named = (name: string, message: string) => Object.assign(new Error(message), { name });
const sdkShapedObject = { name: 'ThrottlingException', $metadata: { httpStatusCode: 429 } };
const refusedEverywhere = new AggregateError([systemError('ECONNREFUSED'), systemError('ECONNREFUSED')]);

type Row = [what: string, error: unknown, transient: boolean, throttling: boolean];

describe('isTransientAwsError and isThrottlingAwsError, over the SDK’s own error shapes', () => {
  it.each<Row>([
    // Throttles: capacity, not the request.
    ['DynamoDB ProvisionedThroughputExceeded (400)', thrown(ProvisionedThroughputExceededException, 400), true, true],
    ['DynamoDB ThrottlingException (400)', thrown(ThrottlingException, 400), true, true],
    ['DynamoDB RequestLimitExceeded (400)', thrown(RequestLimitExceeded, 400), true, true],
    ['Lambda TooManyRequestsException (429), the classifier', thrown(TooManyRequestsException, 429), true, true],
    ['Lambda EC2ThrottledException (502)', thrown(EC2ThrottledException, 502), true, true],
    ['S3 SlowDown (503)', coded(S3ServiceException, 'SlowDown', 503), true, true],
    ['DynamoDB TransactionInProgressException (400)', thrown(TransactionInProgressException, 400), true, true],
    ['SQS RequestThrottled (400)', thrown(RequestThrottled, 400), true, true],
    ['API Gateway LimitExceededException (429)', thrown(LimitExceededException, 429), true, true],
    ['any other exception answered 429', coded(S3ServiceException, 'Whatever', 429), true, true],
    // The service's fault, or a retryable trait.
    ['DynamoDB InternalServerError (500)', thrown(InternalServerError, 500), true, false],
    ['DynamoDB ReplicatedWriteConflict ($retryable)', thrown(ReplicatedWriteConflictException, 400), true, false],
    ['Lambda ServiceException (500)', thrown(ServiceException, 500), true, false],
    ['S3 InternalError (500)', coded(S3ServiceException, 'InternalError', 500), true, false],
    ['S3 NotImplemented (501): any 5xx', coded(S3ServiceException, 'NotImplemented', 501), true, false],
    // No answer at all.
    ['the SDK’s TimeoutError', named('TimeoutError', 'Connection timed out after 1000 ms'), true, false],
    ...['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH'].map(
      (code): Row => [`a ${code} socket error`, systemError(code), true, false],
    ),
    ['an AggregateError of refused connections (every address of a host)', refusedEverywhere, true, false],
    // The request's own fault, or no AWS error at all: never retried, never a 503.
    ['DynamoDB ConditionalCheckFailedException (400)', thrown(ConditionalCheckFailedException, 400), false, false],
    ['DynamoDB TransactionCanceledException (400)', thrown(TransactionCanceledException, 400), false, false],
    ['DynamoDB TransactionConflictException (400)', thrown(TransactionConflictException, 400), false, false],
    ['DynamoDB ResourceNotFoundException (400)', thrown(TableNotFound, 400), false, false],
    ['a DynamoDB ValidationException (400)', coded(DynamoDBServiceException, 'ValidationException', 400), false, false],
    ['Lambda ResourceNotFoundException (404)', thrown(FunctionNotFound, 404), false, false],
    ['Lambda InvalidRequestContentException (400)', thrown(InvalidRequestContentException, 400), false, false],
    ['S3 NoSuchKey (404)', thrown(NoSuchKey, 404), false, false],
    ['SQS QueueDoesNotExist (400)', thrown(QueueDoesNotExist, 400), false, false],
    ['API Gateway GoneException (410): the connection is gone', thrown(GoneException, 410), false, false],
    ['API Gateway ForbiddenException (403)', thrown(ForbiddenException, 403), false, false],
    ['an AbortError (the caller gave up)', named('AbortError', 'The operation was aborted'), false, false],
    ['an AggregateError of bugs', new AggregateError([new TypeError('x is not a function')]), false, false],
    ['a bug', new TypeError('Cannot read properties of undefined'), false, false],
    ['a string naming a throttle', 'ThrottlingException', false, false],
    ['a plain object shaped like an SDK error', sdkShapedObject, false, false],
    ['undefined', undefined, false, false],
  ])('%s → transient %s, throttling %s', (_what, error, transient, throttling) => {
    const classified = { transient: isTransientAwsError(error), throttling: isThrottlingAwsError(error) };

    expect(classified).toEqual({ transient, throttling });
  });
});
