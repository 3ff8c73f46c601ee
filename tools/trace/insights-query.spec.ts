import { describe, expect, it } from 'vitest';
import { imageStepsQuery, imageTimelineQuery } from './insights-query.js';

const IMAGE_ID = '3f1c2a8e-1f5d-4c1e-9a7b-2d3e4f5a6b7c';

/**
 * The documented shape of Logs Insights QL (docs.aws.amazon.com, CWL_QuerySyntax): commands separated by `|`, each
 * one of the documented commands; field names bare or `@`-prefixed; string literals in double quotes; `sort` takes a
 * field and asc/desc; `limit` at most 10,000; `stats` aggregates with the documented functions, `as` aliases and an
 * optional `by` list. A checker of that shape, not a parser of the whole language.
 */
const COMMANDS = new Set([
  'display',
  'fields',
  'filter',
  'filterIndex',
  'stats',
  'sort',
  'limit',
  'dedup',
  'parse',
  'unnest',
  'unmask',
  'pattern',
  'diff',
  'anomaly',
]);
const STATS_FUNCTIONS = new Set([
  'avg',
  'count',
  'count_distinct',
  'max',
  'min',
  'pct',
  'stddev',
  'sum',
  'earliest',
  'latest',
  'sortsFirst',
  'sortsLast',
]);
const FIELD = String.raw`@?[A-Za-z_][A-Za-z0-9_.]*`;

function documentedShapeErrors(query: string): string[] {
  const errors: string[] = [];
  for (const raw of query.split('|')) {
    const command = raw.trim();
    const [name = ''] = command.split(/\s+/, 1);
    const rest = command.slice(name.length).trim();
    if (!COMMANDS.has(name)) errors.push(`unknown command: ${command}`);
    if (name === 'fields' && !new RegExp(`^${FIELD}(\\s*,\\s*${FIELD})*$`).test(rest))
      errors.push(`fields list: ${rest}`);
    if (
      name === 'filter' &&
      !new RegExp(`^${FIELD} (=|!=) "[^"\\\\]*"( (and|or) ${FIELD} (=|!=) "[^"\\\\]*")*$`).test(rest)
    ) {
      errors.push(`filter expression: ${rest}`);
    }
    if (name === 'sort' && !new RegExp(`^${FIELD} (asc|desc)$`).test(rest)) errors.push(`sort: ${rest}`);
    if (name === 'limit' && !(/^\d+$/.test(rest) && Number(rest) >= 1 && Number(rest) <= 10_000))
      errors.push(`limit: ${rest}`);
    if (name === 'stats') {
      const [aggregates = '', by] = rest.split(/ by /);
      for (const aggregate of aggregates.split(/\s*,\s*/)) {
        const match = new RegExp(`^([A-Za-z_]+)\\((\\*|${FIELD})\\)( as ([A-Za-z_][A-Za-z0-9_]*))?$`).exec(aggregate);
        if (match === null || !STATS_FUNCTIONS.has(match[1]!)) errors.push(`stats aggregate: ${aggregate}`);
      }
      if (by !== undefined && !new RegExp(`^${FIELD}(\\s*,\\s*${FIELD})*$`).test(by)) errors.push(`stats by: ${by}`);
    }
  }
  return errors;
}

describe('the Logs Insights queries of docs/OBSERVABILITY.md', () => {
  it('have the documented shape', () => {
    expect(documentedShapeErrors(imageTimelineQuery(IMAGE_ID))).toEqual([]);
    expect(documentedShapeErrors(imageStepsQuery(IMAGE_ID))).toEqual([]);
  });

  it('are what the docs show', () => {
    expect(imageTimelineQuery(IMAGE_ID)).toBe(
      [
        'fields @timestamp, service, level, message, correlationId, function_request_id, @logStream',
        '| filter imageId = "3f1c2a8e-1f5d-4c1e-9a7b-2d3e4f5a6b7c"',
        '| sort @timestamp asc',
        '| limit 500',
      ].join('\n'),
    );
    expect(imageStepsQuery(IMAGE_ID)).toBe(
      [
        'filter imageId = "3f1c2a8e-1f5d-4c1e-9a7b-2d3e4f5a6b7c"',
        '| stats min(@timestamp) as firstAt, max(@timestamp) as lastAt, count(*) as lines by service',
        '| sort firstAt asc',
      ].join('\n'),
    );
  });

  it('the checker refuses what the grammar does not allow', () => {
    expect(documentedShapeErrors('fields @timestamp | where imageId = "x"')).toEqual([
      'unknown command: where imageId = "x"',
    ]);
    expect(documentedShapeErrors("filter imageId = 'x'")).toHaveLength(1);
    expect(documentedShapeErrors('sort @timestamp ascending')).toHaveLength(1);
    expect(documentedShapeErrors('limit 20000')).toHaveLength(1);
    expect(documentedShapeErrors('stats median(duration) by service')).toHaveLength(1);
  });

  it('refuse anything but an image id, so nothing can be added to the query', () => {
    expect(() => imageTimelineQuery('x" | stats count(*) by userId | filter a = "')).toThrow('Not an image id');
    expect(() => imageStepsQuery('')).toThrow('Not an image id');
  });
});
