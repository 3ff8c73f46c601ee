import { describe, expect, it } from 'vitest';
import { functionArn, functionNameOf } from './function-arn.js';

describe('functionNameOf', () => {
  it.each([
    ['classifier', 'classifier'],
    ['classifier:live', 'classifier'],
    ['000000000000:function:classifier', 'classifier'],
    ['arn:aws:lambda:eu-west-1:123456789012:function:classifier', 'classifier'],
    ['arn:aws:lambda:eu-west-1:123456789012:function:classifier:$LATEST', 'classifier'],
  ])('finds the function name in %s', (identifier, name) => {
    expect(functionNameOf(identifier)).toBe(name);
  });

  it('reads back the name of an ARN it built', () => {
    expect(functionNameOf(functionArn('udagram-classifier'))).toBe('udagram-classifier');
  });
});
