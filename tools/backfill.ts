/**
 * `npm run backfill`: re-runs classification for every PENDING and FAILED image, with a progress bar; a PENDING image
 * whose photo never arrived within PENDING_UPLOAD_MAX_AGE_SECONDS ends FAILED (UploadMissing). In AWS run it with the
 * stack's environment; locally it reads the environment of the running `npm start` from .local/running-env.json.
 */
import { Backfill, type BackfillCounts } from '@app/labelling';
import { NestFactory } from '@nestjs/core';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { UploadPipelineModule } from '../apps/api/src/upload-pipeline.module.js';
import { repositoryRoot } from './repository-root.js';
import { RUNNING_ENV_FILE } from './local-cloud/running-env.js';

const localEnvironment = path.join(repositoryRoot(), RUNNING_ENV_FILE);
if (process.env.AWS_REGION === undefined && existsSync(localEnvironment)) {
  Object.assign(process.env, JSON.parse(readFileSync(localEnvironment, 'utf8')));
  console.error(`Using the running local system (${RUNNING_ENV_FILE}).`);
}

const context = await NestFactory.createApplicationContext(UploadPipelineModule, { logger: ['error'] });
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
  return `classified ${counts.classified}, failed ${counts.failed}, awaiting upload ${counts.awaitingUpload}, skipped ${counts.skipped}`;
}
