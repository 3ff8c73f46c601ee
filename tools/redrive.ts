/**
 * `npm run redrive`: moves the dead letters of the classification and thumbnail queues back to their queues
 * (SQS StartMessageMoveTask), where the workers take them again. In AWS run it with CLASSIFICATION_DEAD_LETTER_QUEUE_URL
 * and THUMBNAIL_DEAD_LETTER_QUEUE_URL (the stack's outputs) and AWS_REGION; locally it reads the environment of the
 * running `npm start` from .local/running-env.json. docs/PIPELINE.md has the console's and the CLI's way.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { RUNNING_ENV_FILE } from './local-cloud/running-env.js';
import { redriveDeadLetters } from './redrive/redrive-dead-letters.js';
import { repositoryRoot } from './repository-root.js';

const localEnvironment = path.join(repositoryRoot(), RUNNING_ENV_FILE);
if (process.env.AWS_REGION === undefined && existsSync(localEnvironment)) {
  Object.assign(process.env, JSON.parse(readFileSync(localEnvironment, 'utf8')));
  console.error(`Using the running local system (${RUNNING_ENV_FILE}).`);
}
const queueUrls = [
  process.env.CLASSIFICATION_DEAD_LETTER_QUEUE_URL,
  process.env.THUMBNAIL_DEAD_LETTER_QUEUE_URL,
].filter((url): url is string => url !== undefined && url !== '');
if (process.env.AWS_REGION === undefined || queueUrls.length === 0) {
  console.error(
    'Set AWS_REGION and CLASSIFICATION_DEAD_LETTER_QUEUE_URL / THUMBNAIL_DEAD_LETTER_QUEUE_URL, or run `npm start` first.',
  );
  process.exit(2);
}
const sqs = new SQSClient({ region: process.env.AWS_REGION, endpoint: process.env.SQS_ENDPOINT });
try {
  for (const queueUrl of queueUrls) {
    const { moved } = await redriveDeadLetters(sqs, queueUrl);
    console.log(`${queueUrl}: ${moved} message(s) moved back to their queue`);
  }
} finally {
  sqs.destroy();
}
