import { describe, expect, it } from 'vitest';
import { MalformedMessageError, pipelineTargets } from './pipeline-message.js';

const IMAGE_ID = '6f9d1c52-8a3e-4c0b-9e57-2d4f1a6b7c80';

describe('pipelineTargets', () => {
  it('reads S3’s event (raw SNS delivery), decoding the key as S3 encodes it', () => {
    const body = JSON.stringify({
      Records: [{ eventName: 'ObjectCreated:Put', s3: { object: { key: 'images/a+b%2Bc' } } }],
    });

    expect(pipelineTargets(body)).toEqual([{ objectKey: 'images/a b+c' }]);
  });

  it('reads a request for an image, with or without the claim token of a re-classification', () => {
    expect(pipelineTargets(JSON.stringify({ imageId: IMAGE_ID }))).toEqual([{ imageId: IMAGE_ID }]);
    expect(pipelineTargets(JSON.stringify({ imageId: IMAGE_ID, claimToken: IMAGE_ID }))).toEqual([
      { imageId: IMAGE_ID, claimToken: IMAGE_ID },
    ]);
  });

  it('takes S3’s test event as nothing to do', () => {
    expect(pipelineTargets(JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent' }))).toEqual([]);
  });

  it.each([
    ['{not json', 'the body is not JSON'],
    ['[1]', 'the body is not an object'],
    ['{"imageId":"../../etc"}', 'neither an S3 event nor an image request'],
    [`{"imageId":"${IMAGE_ID}","claimToken":{"$ne":1}}`, 'claimToken is not a token'],
  ])('refuses %s as malformed (%s)', (body, reason) => {
    expect(() => pipelineTargets(body)).toThrow(new MalformedMessageError(reason));
  });
});
