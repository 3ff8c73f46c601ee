import { describe, expect, it } from 'vitest';
import { createdObjectKeys } from './s3-event.js';

describe('createdObjectKeys', () => {
  it('returns the decoded keys of ObjectCreated records only', () => {
    const keys = createdObjectKeys({
      Records: [
        { eventName: 'ObjectCreated:Put', s3: { object: { key: 'images/a%2Bb+c' } } },
        { eventName: 'ObjectRemoved:Delete', s3: { object: { key: 'images/removed' } } },
        { eventName: 'ObjectCreated:Post', s3: {} },
      ],
    });

    expect(keys).toEqual(['images/a+b c']);
  });

  it('accepts an event with no records', () => {
    expect(createdObjectKeys({})).toEqual([]);
  });
});
