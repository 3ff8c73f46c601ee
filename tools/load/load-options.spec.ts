import { describe, expect, it } from 'vitest';
import { loadOptionsFromEnvironment } from './load-options.js';

describe('loadOptionsFromEnvironment', () => {
  it('runs 200 images all at once, a fault every 7th invocation, 10% DynamoDB faults, within 10 minutes by default', () => {
    expect(loadOptionsFromEnvironment({})).toEqual({
      images: 200,
      concurrency: 200,
      faultEvery: 7,
      timeoutSeconds: 600,
      dynamoDbFaultPercent: 10,
    });
  });

  it('reads each option from its variable', () => {
    const environment = {
      LOAD_IMAGES: '30',
      LOAD_CONCURRENCY: '15',
      LOAD_FAULT_EVERY: '5',
      LOAD_TIMEOUT_SECONDS: '120',
      LOAD_DYNAMODB_FAULT_PERCENT: '0',
    };

    expect(loadOptionsFromEnvironment(environment)).toEqual({
      images: 30,
      concurrency: 15,
      faultEvery: 5,
      timeoutSeconds: 120,
      dynamoDbFaultPercent: 0,
    });
  });

  it('names every variable that is not a whole number in range', () => {
    const environment = {
      LOAD_IMAGES: '0',
      LOAD_CONCURRENCY: '2.5',
      LOAD_FAULT_EVERY: '1',
      LOAD_TIMEOUT_SECONDS: 'soon',
      LOAD_DYNAMODB_FAULT_PERCENT: '51',
    };

    expect(() => loadOptionsFromEnvironment(environment)).toThrow(
      'LOAD_IMAGES must be a whole number from 1 to 2000; LOAD_CONCURRENCY must be a whole number from 1 to 500; ' +
        'LOAD_FAULT_EVERY must be a whole number from 2 to 1000; LOAD_TIMEOUT_SECONDS must be a whole number from 30 to 3600; ' +
        'LOAD_DYNAMODB_FAULT_PERCENT must be a whole number from 0 to 50',
    );
  });
});
