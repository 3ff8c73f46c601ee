import { groupsTableDefinition } from '@app/groups';
import { imageItemKey, imageLabelsTableDefinition, imagesTableDefinition, type ImageRecord } from '@app/images';
import { ensureTables } from '@dev/local-cloud';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateKeyLayout, type MigrationCheckpoint, type MigrationTables } from './key-layout-migration.js';

const prefix = `migration-${Date.now().toString(36)}`;
const tables: MigrationTables = {
  groups: `${prefix}-groups`,
  images: `${prefix}-group-images`,
  legacyImages: `${prefix}-images`,
  labels: `${prefix}-image-labels`,
};
/** The images table before the group shards: keyed by groupId. */
const legacyImagesTable = {
  TableName: tables.legacyImages,
  BillingMode: 'PAY_PER_REQUEST' as const,
  AttributeDefinitions: [
    { AttributeName: 'groupId', AttributeType: 'S' as const },
    { AttributeName: 'timestampId', AttributeType: 'S' as const },
  ],
  KeySchema: [
    { AttributeName: 'groupId', KeyType: 'HASH' as const },
    { AttributeName: 'timestampId', KeyType: 'RANGE' as const },
  ],
};

const squirrelLabels = [
  { label: 'fox squirrel, eastern fox squirrel, Sciurus niger', confidence: 0.981277, classId: 335 },
  { label: 'titi, titi monkey', confidence: 0.013229, classId: 380 },
  { label: 'capuchin, ringtail, Cebus capucinus', confidence: 0.001903, classId: 378 },
];
/** As the old code stored them: every top-k word indexed, under the bare word. */
const oldWords = [
  'capuchin',
  'cebus',
  'capucinus',
  'eastern',
  'fox',
  'monkey',
  'niger',
  'ringtail',
  'sciurus',
  'squirrel',
  'titi',
].sort();
const newWords = ['eastern', 'fox', 'niger', 'sciurus', 'squirrel'];

function image(index: number, groupId: string): ImageRecord {
  const timestamp = `2026-11-26T07:00:0${index}.000Z`;
  return {
    groupId,
    timestampId: `${timestamp}#i${index}`,
    timestamp,
    imageId: `i${index}`,
    userId: 'alice',
    title: `Photo ${index}`,
    status: 'CLASSIFIED',
    objectKey: `images/i${index}`,
    classLabel: squirrelLabels[0]!.label,
    confidence: squirrelLabels[0]!.confidence,
    labels: squirrelLabels,
    model: 'squeezenet_v1.0_dc',
    labelWords: oldWords,
  };
}

describe('the key layout migration on DynamoDB Local', () => {
  const client = new DynamoDBClient({ region: process.env.AWS_REGION, endpoint: process.env.DYNAMODB_ENDPOINT });
  const dynamoDb = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const scan = async (TableName: string) =>
    (await dynamoDb.send(new ScanCommand({ TableName, ConsistentRead: true }))).Items ?? [];

  beforeAll(async () => {
    await ensureTables(
      client,
      [
        groupsTableDefinition(tables.groups),
        legacyImagesTable,
        imagesTableDefinition(tables.images),
        imageLabelsTableDefinition(tables.labels),
      ],
      () => undefined,
    );
    // The old layout: groups under the constant listing key with a counter; label entries under the bare word.
    for (const [index, id] of ['g1', 'g2', 'g3'].entries()) {
      await dynamoDb.send(
        new PutCommand({
          TableName: tables.groups,
          Item: {
            id,
            userId: 'alice',
            name: id,
            description: '',
            timestamp: `2026-11-2${index}T00:00:00.000Z`,
            listing: 'groups',
            imageCount: id === 'g1' ? 3 : 0,
          },
        }),
      );
    }
    for (const index of [1, 2, 3]) {
      // Image 3 still waits for its label, marked the old way (one unsharded PENDING key).
      const record = index === 3 ? { ...image(index, 'g1'), unfinishedStatus: 'PENDING' } : image(index, 'g1');
      await dynamoDb.send(new PutCommand({ TableName: tables.legacyImages, Item: record }));
      for (const word of oldWords) {
        await dynamoDb.send(
          new PutCommand({
            TableName: tables.labels,
            Item: {
              word,
              groupWord: `g1#${word}`,
              timestampId: record.timestampId,
              groupId: 'g1',
              imageId: record.imageId,
            },
          }),
        );
      }
    }
    // An entry whose image is gone (deleted mid-way in the old layout).
    await dynamoDb.send(
      new PutCommand({
        TableName: tables.labels,
        Item: {
          word: 'dog',
          groupWord: 'g1#dog',
          timestampId: '2026-01-01T00:00:00.000Z#gone',
          groupId: 'g1',
          imageId: 'gone',
        },
      }),
    );
  });

  afterAll(() => {
    dynamoDb.destroy();
  });

  it('moves every item to the new layout, stopped and resumed from its checkpoint, and changes nothing when run again', async () => {
    let checkpoint: MigrationCheckpoint = {};
    const options = {
      tables,
      labelIndexMinConfidence: 0.1,
      pageSize: 2,
      saveCheckpoint: (next: MigrationCheckpoint) => void (checkpoint = next),
    };

    const interrupted = await migrateKeyLayout(dynamoDb, { ...options, checkpoint, maxPages: 2 });
    expect(interrupted.finished).toBe(false);
    const resumed = await migrateKeyLayout(dynamoDb, { ...options, checkpoint });
    expect(resumed.finished).toBe(true);
    expect(interrupted.groupsMoved + resumed.groupsMoved).toBe(3);
    expect(interrupted.imagesCopied + resumed.imagesCopied).toBe(3);
    expect(resumed.imagesReindexed).toBe(3);
    expect(resumed.labelEntriesRemoved).toBe(1);

    const groups = await scan(tables.groups);
    expect(
      groups.map((group) => Object.keys(group).filter((name) => name === 'listing' || name === 'imageCount')),
    ).toEqual([[], [], []]);
    expect(
      groups.every(
        (group) => /^groups#[0-3]$/.test(group.listingShard) && group.listingSort === `${group.timestamp}#${group.id}`,
      ),
    ).toBe(true);

    const entries = await scan(tables.labels);
    expect(entries).toHaveLength(3 * newWords.length);
    for (const entry of entries) expect(entry.word).toMatch(/^[a-z]+#[0-3]$/);
    expect([...new Set(entries.map((entry) => entry.groupWord.slice('g1#'.length)))].sort()).toEqual(newWords);
    const copies = await scan(tables.images);
    expect(copies.map((copy) => copy.imageId).sort()).toEqual(['i1', 'i2', 'i3']);
    for (const copy of copies)
      expect(copy.groupShard).toBe(imageItemKey({ groupId: 'g1', timestampId: copy.timestampId }).groupShard);
    expect(copies.find((copy) => copy.imageId === 'i3')?.unfinishedStatus).toMatch(/^PENDING#\d+$/);
    const { Item } = await dynamoDb.send(
      new GetCommand({ TableName: tables.images, Key: imageItemKey(image(1, 'g1')) }),
    );
    expect(Item?.labelWords).toEqual(newWords);

    const again = await migrateKeyLayout(dynamoDb, { ...options, checkpoint: {} });
    expect(again).toEqual({
      groupsMoved: 0,
      imagesCopied: 0,
      imagesReindexed: 0,
      labelEntriesRemoved: 0,
      skipped: 0,
      finished: true,
    });
    expect(await scan(tables.labels)).toHaveLength(3 * newWords.length);
    expect(await scan(tables.images)).toEqual(copies);
  });
});
