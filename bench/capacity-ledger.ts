// `npm run bench:capacity`: the capacity ledger. Starts DynamoDB Local (in memory), runs a realistic workload through
// the real services with the ledger's middleware on their DynamoDB client, scales the recorded units to the design
// target (1,000 uploads/s, 20,000 reads/s) and prints units per operation, the 10 hottest partition keys and
// PASS/FAIL against 1,000 WCU / 3,000 RCU per key. Exits 1 on FAIL. Sizes: LEDGER_GROUPS, LEDGER_UPLOADS, LEDGER_READS.
import { startDynamoDbLocal } from '@dev/local-cloud';
import { runCapacityLedger } from '../tools/capacity/run-capacity-ledger.js';

const size = {
  groups: Number(process.env.LEDGER_GROUPS ?? 40),
  uploads: Number(process.env.LEDGER_UPLOADS ?? 1000),
  readsPerRoute: Number(process.env.LEDGER_READS ?? 30),
};
const dynamoDb = await startDynamoDbLocal({ log: () => undefined });
try {
  const { report, text } = await runCapacityLedger(dynamoDb.endpoint, size, () => undefined);
  console.log(text);
  process.exitCode = report.failing.length === 0 ? 0 : 1;
} finally {
  await dynamoDb.stop();
}
