/**
 * `npm run trace -- <imageId>`: the image's timeline across the API, the queue workers, the classifier and the
 * notifier, read from the local log files (.local/logs, or UDAGRAM_LOG_DIR), oldest first, with the time between
 * steps — the local stand-in for an X-Ray trace. docs/OBSERVABILITY.md gives the CloudWatch Logs Insights query.
 */
import { localLogDirectory } from '../local-cloud/local-log-files.js';
import { repositoryRoot } from '../repository-root.js';
import { formatTimeline, imageTimeline, readLogDirectory } from './image-timeline.js';

const imageId = process.argv[2];
if (imageId === undefined || imageId.startsWith('-')) {
  console.error('Usage: npm run trace -- <imageId>');
  process.exit(2);
}
const directory = localLogDirectory(repositoryRoot());
const timeline = imageTimeline(await readLogDirectory(directory), imageId);
if (timeline.length === 0) {
  console.error(`No line about image ${imageId} in ${directory}/*.log`);
  process.exit(1);
}
const correlationIds = [
  ...new Set(timeline.map((entry) => entry.fields.correlationId).filter((id) => id !== undefined)),
];
const services = [...new Set(timeline.map((entry) => entry.service))];
const spanMs = timeline.at(-1)!.at.getTime() - timeline[0]!.at.getTime();
console.log(
  `Image ${imageId}, correlation id ${correlationIds.join(', ') || '(none)'}: ${timeline.length} lines in ${spanMs} ms`,
);
console.log(`Services: ${services.join(' → ')}   (from ${directory})\n`);
console.log(formatTimeline(timeline));
