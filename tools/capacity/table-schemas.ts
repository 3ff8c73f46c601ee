import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/** What the ledger needs of a table: its key and, per index, the key and the projected attributes. */
export interface IndexSchema {
  name: string;
  partitionKey: string;
  sortKey?: string;
  /** ALL, KEYS_ONLY, or INCLUDE with these attributes (the table's and the index's keys are always projected). */
  projection: 'ALL' | 'KEYS_ONLY' | string[];
}

export interface TableSchema {
  tableName: string;
  partitionKey: string;
  sortKey?: string;
  indexes: IndexSchema[];
}

const keyNamed = (schema: { AttributeName?: string; KeyType?: string }[] | undefined, type: 'HASH' | 'RANGE') =>
  schema?.find((element) => element.KeyType === type)?.AttributeName;

/** Reads the schema off a `*.table.ts` definition, the same object CloudFormation and the local cloud are given. */
export function tableSchema(definition: CreateTableCommandInput): TableSchema {
  return {
    tableName: definition.TableName!,
    partitionKey: keyNamed(definition.KeySchema, 'HASH')!,
    sortKey: keyNamed(definition.KeySchema, 'RANGE'),
    indexes: (definition.GlobalSecondaryIndexes ?? []).map((index) => ({
      name: index.IndexName!,
      partitionKey: keyNamed(index.KeySchema, 'HASH')!,
      sortKey: keyNamed(index.KeySchema, 'RANGE'),
      projection:
        index.Projection?.ProjectionType === 'INCLUDE'
          ? [...(index.Projection.NonKeyAttributes ?? [])]
          : (index.Projection?.ProjectionType as 'ALL' | 'KEYS_ONLY'),
    })),
  };
}

/** The attributes an index holds of an item, or undefined when the item is not in the index (a key is missing). */
export function projectInto(table: TableSchema, index: IndexSchema, item: Record<string, unknown> | undefined) {
  if (item === undefined) return undefined;
  const keys = [index.partitionKey, index.sortKey].filter((name): name is string => name !== undefined);
  if (keys.some((name) => item[name] === undefined)) return undefined;
  if (index.projection === 'ALL') return item;
  const names = new Set([...keys, table.partitionKey, ...(table.sortKey ? [table.sortKey] : [])]);
  if (Array.isArray(index.projection)) index.projection.forEach((name) => names.add(name));
  return Object.fromEntries(Object.entries(item).filter(([name]) => names.has(name)));
}
