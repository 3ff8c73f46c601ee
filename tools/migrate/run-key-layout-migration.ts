/**
 * `npm run migrate:key-layout`: moves items written before the sharded key layout (groups listing shards, no image
 * counter, label entries sharded and thresholded). Run once after deploying the new layout (docs/CAPACITY.md has
 * the order); safe to re-run, and it resumes where it stopped from its checkpoint file (MIGRATION_CHECKPOINT,
 * default .local/key-layout-migration.json). Reads the tables from GROUPS_TABLE, IMAGES_TABLE (keyed by group shard),
 * LEGACY_IMAGES_TABLE (the earlier images table keyed by groupId, copied into IMAGES_TABLE; optional),
 * IMAGE_LABELS_TABLE (and AWS_REGION, DYNAMODB_ENDPOINT); locally, from the running `npm start`.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RUNNING_ENV_FILE } from '../local-cloud/running-env.js';
import { repositoryRoot } from '../repository-root.js';
import { migrateKeyLayout, type MigrationCheckpoint } from './key-layout-migration.js';

const localEnvironment = path.join(repositoryRoot(), RUNNING_ENV_FILE);
if (process.env.AWS_REGION === undefined && existsSync(localEnvironment)) {
  Object.assign(process.env, JSON.parse(readFileSync(localEnvironment, 'utf8')));
  console.error(`Using the running local system (${RUNNING_ENV_FILE}).`);
}
const required = (name: string) => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} must be set`);
  return value;
};
const checkpointFile = path.resolve(
  process.env.MIGRATION_CHECKPOINT ?? path.join(repositoryRoot(), '.local', 'key-layout-migration.json'),
);
const checkpoint: MigrationCheckpoint = existsSync(checkpointFile)
  ? JSON.parse(readFileSync(checkpointFile, 'utf8'))
  : {};
mkdirSync(path.dirname(checkpointFile), { recursive: true });

const dynamoDb = DynamoDBDocumentClient.from(
  new DynamoDBClient({ region: required('AWS_REGION'), endpoint: process.env.DYNAMODB_ENDPOINT }),
);
try {
  const result = await migrateKeyLayout(dynamoDb, {
    tables: {
      groups: required('GROUPS_TABLE'),
      images: required('IMAGES_TABLE'),
      legacyImages: process.env.LEGACY_IMAGES_TABLE || undefined,
      labels: required('IMAGE_LABELS_TABLE'),
    },
    labelIndexMinConfidence: Number(process.env.LABEL_INDEX_MIN_CONFIDENCE ?? 0.1),
    checkpoint,
    saveCheckpoint: (next) => writeFileSync(checkpointFile, JSON.stringify(next)),
    log: (line) => console.error(line),
  });
  console.log(
    `Key layout migration done: ${result.groupsMoved} group(s) moved, ${result.imagesCopied} image(s) copied to their group shard, ${result.imagesReindexed} image(s) re-indexed, ` +
      `${result.labelEntriesRemoved} orphaned label entr(ies) removed, ${result.skipped} skipped (re-classified meanwhile, which writes the new layout; their old entries went in the last phase).`,
  );
} finally {
  dynamoDb.destroy();
}
