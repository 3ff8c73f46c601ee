/**
 * The CloudWatch Logs Insights queries that do in AWS what `npm run trace` does locally: run them over the log groups
 * of the API, the two queue workers, the notifier and the classifier (every line of each is JSON with the same keys,
 * docs/OBSERVABILITY.md), for the minutes around the upload.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The image's lines from every function, oldest first, with the invocation each came from. */
export function imageTimelineQuery(imageId: string): string {
  return [
    'fields @timestamp, service, level, message, correlationId, function_request_id, @logStream',
    `filter imageId = "${checkedImageId(imageId)}"`,
    'sort @timestamp asc',
    'limit 500',
  ].join('\n| ');
}

/** Per function: when it first and last wrote about the image, and how many lines — the steps and their spans. */
export function imageStepsQuery(imageId: string): string {
  return [
    `filter imageId = "${checkedImageId(imageId)}"`,
    'stats min(@timestamp) as firstAt, max(@timestamp) as lastAt, count(*) as lines by service',
    'sort firstAt asc',
  ].join('\n| ');
}

/** Only an image id (a UUID) goes into a query: nothing a caller types can close the string and add a command. */
function checkedImageId(imageId: string): string {
  if (!UUID.test(imageId)) throw new Error(`Not an image id (a UUID): ${JSON.stringify(imageId)}`);
  return imageId;
}
