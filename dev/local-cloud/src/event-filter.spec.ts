import { IMAGE_STATUS_FILTER_PATTERNS, statusMessageOf } from '@app/notifications';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { matchesAnyPattern, matchesPattern } from './event-filter.js';

function record(eventName: 'INSERT' | 'MODIFY' | 'REMOVE', oldStatus?: string, newStatus?: string): DynamoDBRecord {
  const image = (status: string) =>
    marshall({ groupId: 'g1', timestampId: 't#1', imageId: 'i1', status }) as NonNullable<
      DynamoDBRecord['dynamodb']
    >['NewImage'];
  return {
    eventName,
    dynamodb: {
      ...(oldStatus ? { OldImage: image(oldStatus) } : {}),
      ...(newStatus ? { NewImage: image(newStatus) } : {}),
      SequenceNumber: '1',
    },
  };
}

describe('Lambda event filtering', () => {
  it('matches literals, anything-but and exists, field by field', () => {
    const value = { eventName: 'MODIFY', dynamodb: { NewImage: { status: { S: 'FAILED' } } } };

    expect(matchesPattern(value, { eventName: ['INSERT', 'MODIFY'] })).toBe(true);
    expect(matchesPattern(value, { eventName: ['INSERT'] })).toBe(false);
    expect(
      matchesPattern(value, { dynamodb: { NewImage: { status: { S: [{ 'anything-but': ['PENDING'] }] } } } }),
    ).toBe(true);
    expect(matchesPattern(value, { dynamodb: { NewImage: { status: { S: [{ 'anything-but': ['FAILED'] }] } } } })).toBe(
      false,
    );
    expect(matchesPattern(value, { dynamodb: { OldImage: { status: { S: [{ 'anything-but': ['FAILED'] }] } } } })).toBe(
      false,
    );
    expect(matchesPattern(value, { dynamodb: { NewImage: { claimToken: [{ exists: false }] } } })).toBe(true);
    expect(matchesPattern(value, { dynamodb: { NewImage: { status: [{ exists: true }] } } })).toBe(true);
  });

  it('refuses filter syntax it does not emulate rather than guess', () => {
    expect(() => matchesPattern({ size: 3 }, { size: [{ numeric: ['>', 2] }] })).toThrow(/not emulated/);
  });

  it.each([
    ['INSERT', undefined, 'PENDING'],
    ['INSERT', undefined, 'CLASSIFIED'],
    ['MODIFY', 'PENDING', 'PENDING'],
    ['MODIFY', 'PENDING', 'CLASSIFIED'],
    ['MODIFY', 'PENDING', 'FAILED'],
    ['MODIFY', 'CLASSIFIED', 'CLASSIFIED'],
    ['MODIFY', 'CLASSIFIED', 'PENDING'],
    ['MODIFY', 'FAILED', 'PENDING'],
    ['MODIFY', 'FAILED', 'CLASSIFIED'],
    ['MODIFY', 'CLASSIFIED', 'FAILED'],
    ['MODIFY', 'FAILED', 'FAILED'],
    ['REMOVE', 'CLASSIFIED', undefined],
  ] as const)(
    'the notifier’s filter patterns and its own rule agree on %s %s → %s',
    (eventName, oldStatus, newStatus) => {
      const streamRecord = record(eventName, oldStatus, newStatus);

      expect(matchesAnyPattern(streamRecord, IMAGE_STATUS_FILTER_PATTERNS)).toBe(
        statusMessageOf(streamRecord) !== undefined,
      );
    },
  );
});
