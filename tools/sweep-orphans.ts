/**
 * `npm run sweep:orphans`: deletes the photos and thumbnails of deleted images whose object delete failed (the API
 * deletes the record first), scanning at most SWEEP_MAX_OBJECTS objects (default 100,000) per run, after
 * SWEEP_START_AFTER (the key the previous run printed) when given; run it daily (in AWS with the stack's
 * environment, e.g. from a scheduled task). Locally it reads the running `npm start`'s environment from
 * .local/running-env.json.
 */
import { OrphanObjectSweep } from '@app/images';
import { NestFactory } from '@nestjs/core';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { OrphanSweepModule } from '../apps/api/src/orphan-sweep.module.js';
import { RUNNING_ENV_FILE } from './local-cloud/running-env.js';
import { repositoryRoot } from './repository-root.js';

const localEnvironment = path.join(repositoryRoot(), RUNNING_ENV_FILE);
if (process.env.AWS_REGION === undefined && existsSync(localEnvironment)) {
  Object.assign(process.env, JSON.parse(readFileSync(localEnvironment, 'utf8')));
  console.error(`Using the running local system (${RUNNING_ENV_FILE}).`);
}
const maxObjects = Number(process.env.SWEEP_MAX_OBJECTS ?? 100_000);
if (!Number.isInteger(maxObjects) || maxObjects < 1)
  throw new Error('SWEEP_MAX_OBJECTS must be a whole number above 0');

const context = await NestFactory.createApplicationContext(OrphanSweepModule, { logger: ['error', 'warn', 'log'] });
const { scanned, deleted, resumeAfter } = await context
  .get(OrphanObjectSweep)
  .run({ maxObjects, startAfter: process.env.SWEEP_START_AFTER || undefined });
console.log(`Orphan sweep: ${scanned} objects scanned, ${deleted.length} deleted`);
if (resumeAfter !== undefined)
  console.log(`Stopped at SWEEP_MAX_OBJECTS; continue with SWEEP_START_AFTER=${resumeAfter}`);
await context.close();
