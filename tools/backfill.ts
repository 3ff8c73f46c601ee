/**
 * `npm run backfill`: queues classification for every PENDING image and every transient failure, and a thumbnail for
 * every image without one, with a progress bar; a PENDING image whose photo never arrived within
 * PENDING_UPLOAD_MAX_AGE_SECONDS ends FAILED (UploadMissing). In AWS run it with the stack's environment
 * (CLASSIFICATION_QUEUE_URL, THUMBNAIL_QUEUE_URL, the tables); locally it reads the environment of the running
 * `npm start` from .local/running-env.json.
 */
import { Backfill, PipelineQueuesModule, type BackfillCounts } from '@app/pipeline-queues';
import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repositoryRoot } from './repository-root.js';
import { RUNNING_ENV_FILE } from './local-cloud/running-env.js';

const localEnvironment = path.join(repositoryRoot(), RUNNING_ENV_FILE);
if (process.env.AWS_REGION === undefined && existsSync(localEnvironment)) {
  Object.assign(process.env, JSON.parse(readFileSync(localEnvironment, 'utf8')));
  console.error(`Using the running local system (${RUNNING_ENV_FILE}).`);
}

@Module({ imports: [ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, cache: true }), PipelineQueuesModule] })
class BackfillModule {}

const context = await NestFactory.createApplicationContext(BackfillModule, { logger: ['error'] });
const counts = await context.get(Backfill).run((done, total, progress) => {
  process.stderr.write(`\r${bar(done, total)} ${done}/${total}  ${describe(progress)}`);
});
process.stderr.write('\n');
console.log(`Backfill done: ${describe(counts)}`);
await context.close();

function bar(done: number, total: number, width = 30): string {
  const filled = total === 0 ? width : Math.min(width, Math.round((done / total) * width));
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

function describe(counts: BackfillCounts): string {
  return (
    `classifications queued ${counts.classificationsQueued}, thumbnails queued ${counts.thumbnailsQueued}, ` +
    `uploads missing ${counts.uploadsMissing}, awaiting upload ${counts.awaitingUpload}, skipped ${counts.skipped}`
  );
}
