import { GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { itemSize, plainAttribute, type Item } from './item-size.js';
import { projectInto, type IndexSchema, type TableSchema } from './table-schemas.js';

/** Units one request charged to one partition key of a table or an index. */
export interface Charge {
  /** `table/index/key value` (index `-` for the table itself). */
  key: string;
  readUnits: number;
  writeUnits: number;
  bytes: number;
  transactional: boolean;
}

export interface RecordedRequest {
  operation: string;
  /** The workload step that made the request (e.g. `upload`, `front-page`). */
  step: string;
  transactional: boolean;
  charges: Charge[];
  /** What DynamoDB (Local) itself reported, when it did. */
  consumedCapacity?: unknown;
}

type Middleware = (next: (args: any) => Promise<any>, context: unknown) => (args: any) => Promise<any>;
interface HasMiddlewareStack {
  middlewareStack: {
    add(middleware: Middleware, options: { step: 'build'; name: string; priority?: 'low' | 'high' }): void;
  };
}

interface WriteTarget {
  table: TableSchema;
  key: Item;
  kind: 'Put' | 'Update' | 'Delete' | 'ConditionCheck';
  transactional: boolean;
}

const KB = 1024;
const READ_BLOCK = 4 * KB;
/** DynamoDB counts 100 bytes of overhead for every index entry. */
const INDEX_ENTRY_OVERHEAD = 100;
const SUPPORTS_CONSUMED_CAPACITY = new Set([
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactWriteItems',
  'TransactGetItems',
]);

/**
 * SDK middleware for the real DynamoDB clients: for every request it notes the table, index, partition key, item
 * sizes and whether it is transactional, and charges units by DynamoDB's rules — reads 0.5 unit per 4 KB
 * (eventually consistent; ×2 strongly consistent or transactional), writes 1 unit per KB (×2 transactional) on the
 * larger of the item before and after. Index writes are derived from the table definitions: an item entering,
 * leaving or changing its projection in an index costs that index's partition a write (a key change: two).
 * It reads the items before and after each write through a separate client, so the sizes are the real ones.
 */
export class CapacityRecorder {
  readonly requests: RecordedRequest[] = [];
  private step = 'setup';
  private readonly tables: Map<string, TableSchema>;

  constructor(
    schemas: readonly TableSchema[],
    /** An unrecorded client on the same endpoint, for the before/after reads. */
    private readonly inspector: DynamoDBClient,
  ) {
    this.tables = new Map(schemas.map((schema) => [schema.tableName, schema]));
  }

  attach(client: HasMiddlewareStack): void {
    client.middlewareStack.add((next) => (args) => this.handle(next, args), {
      step: 'build',
      name: 'capacityLedger',
      priority: 'low',
    });
  }

  /** Requests from now on are counted against this workload step. */
  during(step: string): void {
    this.step = step;
  }

  private async handle(next: (args: any) => Promise<any>, args: any): Promise<any> {
    const request = args.request as { headers: Record<string, string>; body: string | Uint8Array };
    const operation = String(request.headers['x-amz-target'] ?? '').split('.')[1] ?? 'Unknown';
    const body = typeof request.body === 'string' ? request.body : new TextDecoder().decode(request.body);
    const input = JSON.parse(body) as Record<string, any>;
    if (SUPPORTS_CONSUMED_CAPACITY.has(operation)) {
      input.ReturnConsumedCapacity = 'INDEXES';
      request.body = JSON.stringify(input);
      request.headers['content-length'] = String(Buffer.byteLength(request.body));
    }
    const writes = this.writeTargets(operation, input);
    const before = await Promise.all(writes.map((write) => this.read(write)));
    let result: any;
    // Boxed: a rejection's reason may be any value, `undefined` included.
    let failure: { error: unknown } | undefined;
    try {
      result = await next(args);
    } catch (error) {
      failure = { error };
    }
    const after = await Promise.all(writes.map((write) => this.read(write)));
    const step = this.step;
    const transactional = operation.startsWith('Transact');
    const charges = [
      ...writes.flatMap((write, index) => this.writeCharges(write, before[index], after[index])),
      ...(failure === undefined ? this.readCharges(operation, input, result.output as Record<string, any>) : []),
    ];
    this.requests.push({ operation, step, transactional, charges, consumedCapacity: result?.output?.ConsumedCapacity });
    if (failure !== undefined) throw failure.error;
    return result;
  }

  private schema(tableName: string): TableSchema {
    const table = this.tables.get(tableName);
    if (table === undefined) throw new Error(`The ledger has no definition of table ${tableName}`);
    return table;
  }

  private keyOf(table: TableSchema, item: Item): Item {
    return Object.fromEntries(
      [table.partitionKey, table.sortKey].filter((name) => name !== undefined).map((name) => [name, item[name!]]),
    );
  }

  private writeTargets(operation: string, input: Record<string, any>): WriteTarget[] {
    const target = (
      tableName: string,
      kind: WriteTarget['kind'],
      keyOrItem: Item,
      transactional: boolean,
    ): WriteTarget => {
      const table = this.schema(tableName);
      return { table, kind, key: this.keyOf(table, keyOrItem), transactional };
    };
    switch (operation) {
      case 'PutItem':
        return [target(input.TableName, 'Put', input.Item, false)];
      case 'UpdateItem':
        return [target(input.TableName, 'Update', input.Key, false)];
      case 'DeleteItem':
        return [target(input.TableName, 'Delete', input.Key, false)];
      case 'BatchWriteItem':
        return Object.entries(input.RequestItems as Record<string, any[]>).flatMap(([tableName, requests]) =>
          requests.map((request) =>
            request.PutRequest
              ? target(tableName, 'Put', request.PutRequest.Item, false)
              : target(tableName, 'Delete', request.DeleteRequest.Key, false),
          ),
        );
      case 'TransactWriteItems':
        return (input.TransactItems as any[]).map((item) => {
          const [kind, body] = Object.entries(item)[0] as [WriteTarget['kind'], any];
          return target(body.TableName, kind, body.Item ?? body.Key, true);
        });
      default:
        return [];
    }
  }

  private async read(write: WriteTarget): Promise<Item | undefined> {
    const { Item } = await this.inspector.send(
      new GetItemCommand({ TableName: write.table.tableName, Key: write.key as any, ConsistentRead: true }),
    );
    return Item as Item | undefined;
  }

  private writeCharges(write: WriteTarget, before: Item | undefined, after: Item | undefined): Charge[] {
    const { table, transactional } = write;
    const bytes = Math.max(before ? itemSize(before) : 0, after ? itemSize(after) : 0, 1);
    const multiplier = transactional ? 2 : 1;
    const charges: Charge[] = [
      {
        key: `${table.tableName}/-/${plainAttribute(write.key, table.partitionKey)}`,
        readUnits: 0,
        writeUnits: Math.ceil(bytes / KB) * multiplier,
        bytes,
        transactional,
      },
    ];
    if (write.kind === 'ConditionCheck') return charges;
    for (const index of table.indexes) charges.push(...this.indexCharges(table, index, before, after));
    return charges;
  }

  /** An index entry is written when it appears, disappears, moves (two writes) or its projected attributes change. */
  private indexCharges(
    table: TableSchema,
    index: IndexSchema,
    before: Item | undefined,
    after: Item | undefined,
  ): Charge[] {
    const old = projectInto(table, index, before);
    const updated = projectInto(table, index, after);
    const entry = (item: Item): Charge => {
      const bytes = itemSize(item) + INDEX_ENTRY_OVERHEAD;
      return {
        key: `${table.tableName}/${index.name}/${plainAttribute(item, index.partitionKey)}`,
        readUnits: 0,
        writeUnits: Math.ceil(bytes / KB),
        bytes,
        transactional: false,
      };
    };
    if (old === undefined && updated === undefined) return [];
    if (old === undefined) return [entry(updated!)];
    if (updated === undefined) return [entry(old)];
    const sameKey = [index.partitionKey, index.sortKey].every(
      (name) => name === undefined || JSON.stringify(old[name]) === JSON.stringify(updated[name]),
    );
    if (!sameKey) return [entry(old), entry(updated)];
    return JSON.stringify(sortedEntries(old)) === JSON.stringify(sortedEntries(updated))
      ? []
      : [entry(itemSize(updated) >= itemSize(old) ? updated : old)];
  }

  private readCharges(operation: string, input: Record<string, any>, output: Record<string, any>): Charge[] {
    const perBlock = (consistent: boolean, transactional = false) =>
      (consistent || transactional ? 1 : 0.5) * (transactional ? 2 : 1);
    switch (operation) {
      case 'GetItem': {
        const table = this.schema(input.TableName);
        const bytes = output.Item ? itemSize(output.Item) : 0;
        return [
          {
            key: `${table.tableName}/-/${plainAttribute(input.Key, table.partitionKey)}`,
            readUnits: Math.max(1, Math.ceil(bytes / READ_BLOCK)) * perBlock(input.ConsistentRead === true),
            writeUnits: 0,
            bytes,
            transactional: false,
          },
        ];
      }
      case 'Query': {
        const table = this.schema(input.TableName);
        const index = input.IndexName
          ? table.indexes.find((candidate) => candidate.name === input.IndexName)
          : undefined;
        const partitionKey = index?.partitionKey ?? table.partitionKey;
        const items = (output.Items ?? []) as Item[];
        const bytes = items.reduce((sum, item) => sum + itemSize(item), 0);
        return [
          {
            key: `${table.tableName}/${index?.name ?? '-'}/${queriedPartition(input, partitionKey)}`,
            readUnits: Math.max(1, Math.ceil(bytes / READ_BLOCK)) * perBlock(input.ConsistentRead === true),
            writeUnits: 0,
            bytes,
            transactional: false,
          },
        ];
      }
      case 'BatchGetItem':
        return Object.entries(input.RequestItems as Record<string, { Keys: Item[]; ConsistentRead?: boolean }>).flatMap(
          ([tableName, request]) => {
            const table = this.schema(tableName);
            const found = (output.Responses?.[tableName] ?? []) as Item[];
            return request.Keys.map((key) => {
              const match = found.find((item) => this.sameKey(table, item, key));
              const bytes = match ? itemSize(match) : 0;
              return {
                key: `${table.tableName}/-/${plainAttribute(key, table.partitionKey)}`,
                readUnits: Math.max(1, Math.ceil(bytes / READ_BLOCK)) * perBlock(request.ConsistentRead === true),
                writeUnits: 0,
                bytes,
                transactional: false,
              };
            });
          },
        );
      case 'TransactGetItems':
        return (input.TransactItems as { Get: { TableName: string; Key: Item } }[]).map(({ Get }, position) => {
          const table = this.schema(Get.TableName);
          const item = output.Responses?.[position]?.Item as Item | undefined;
          const bytes = item ? itemSize(item) : 0;
          return {
            key: `${table.tableName}/-/${plainAttribute(Get.Key, table.partitionKey)}`,
            readUnits: Math.max(1, Math.ceil(bytes / READ_BLOCK)) * perBlock(true, true),
            writeUnits: 0,
            bytes,
            transactional: true,
          };
        });
      case 'Scan':
        throw new Error(`A Scan of ${input.TableName}: the ledger treats any scan on a request path as a defect`);
      default:
        return [];
    }
  }

  private sameKey(table: TableSchema, item: Item, key: Item): boolean {
    return [table.partitionKey, table.sortKey].every(
      (name) => name === undefined || plainAttribute(item, name) === plainAttribute(key, name),
    );
  }
}

function sortedEntries(item: Item) {
  return Object.entries(item).sort(([a], [b]) => a.localeCompare(b));
}

/** The partition key value of a Query, read off its key condition (`pk = :v` or `#n = :v`). */
function queriedPartition(input: Record<string, any>, partitionKey: string): string {
  const names = (input.ExpressionAttributeNames ?? {}) as Record<string, string>;
  for (const [, name, placeholder] of String(input.KeyConditionExpression).matchAll(
    /(#?[A-Za-z0-9_]+)\s*=\s*(:[A-Za-z0-9_]+)/g,
  )) {
    if ((names[name!] ?? name) === partitionKey)
      return plainAttribute(input.ExpressionAttributeValues, placeholder!) ?? '?';
  }
  throw new Error(`Cannot read the partition key ${partitionKey} of the query ${input.KeyConditionExpression}`);
}
