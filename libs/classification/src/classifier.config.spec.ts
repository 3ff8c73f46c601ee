import { InvalidConfigurationError } from '@app/config';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { classifierConfig } from './classifier.config.js';

const VARIABLES = [
  'AWS_REGION',
  'CLASSIFIER_FUNCTION_NAME',
  'LAMBDA_ENDPOINT',
  'CLASSIFIER_TIMEOUT_MS',
  'CLASSIFIER_MAX_ATTEMPTS',
  'CLASSIFIER_RETRY_BASE_DELAY_MS',
  'CLASSIFIER_RETRY_MAX_DELAY_MS',
];

describe('classifierConfig', () => {
  const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));

  beforeEach(() => {
    for (const name of VARIABLES) delete process.env[name];
    process.env.AWS_REGION = 'eu-west-1';
  });

  afterEach(() => {
    for (const name of VARIABLES) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  it('falls back to the defaults for everything but the region', () => {
    expect(classifierConfig()).toEqual({
      region: 'eu-west-1',
      functionName: 'udagram-classifier',
      endpoint: undefined,
      timeoutMs: 30_000,
      retry: { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 5_000 },
    });
  });

  it('reads every setting from the environment, converting numbers', () => {
    Object.assign(process.env, {
      CLASSIFIER_FUNCTION_NAME: 'arn:aws:lambda:eu-west-1:123456789012:function:classifier:live',
      LAMBDA_ENDPOINT: 'http://127.0.0.1:9001',
      CLASSIFIER_TIMEOUT_MS: '5000',
      CLASSIFIER_MAX_ATTEMPTS: '5',
      CLASSIFIER_RETRY_BASE_DELAY_MS: '10',
      CLASSIFIER_RETRY_MAX_DELAY_MS: '100',
    });

    expect(classifierConfig()).toEqual({
      region: 'eu-west-1',
      functionName: 'arn:aws:lambda:eu-west-1:123456789012:function:classifier:live',
      endpoint: 'http://127.0.0.1:9001',
      timeoutMs: 5_000,
      retry: { maxAttempts: 5, baseDelayMs: 10, maxDelayMs: 100 },
    });
  });

  it.each([
    ['AWS_REGION', undefined],
    ['LAMBDA_ENDPOINT', 'not a url'],
    ['CLASSIFIER_FUNCTION_NAME', 'has spaces'],
    ['CLASSIFIER_TIMEOUT_MS', 'soon'],
    ['CLASSIFIER_MAX_ATTEMPTS', '0'],
  ])('refuses to boot when %s is %s', (name, value) => {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;

    expect(() => classifierConfig()).toThrow(InvalidConfigurationError);
  });
});
