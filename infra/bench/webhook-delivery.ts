// node infra/bench/webhook-delivery.ts [--cases 300 --events 4 --instances 2 --poll-ms 1000 --max-seconds 60]
// audit12 #1: how fast intake's webhook senders drain a backlog of one webhook whose receiver answers
// 200 at once. The audit's repro shape: one reporting client with one webhook, 300 cases with about
// 4 events each (its 300 reports made 1,109 deliveries), two intake instances, WEBHOOK_POLL_MS 1000.
// The deliveries are written straight into a fresh migrated database, all at once (a burst, as the
// case projection would queue them), and `--instances` DeliveryWorkers (services/intake/src/webhooks)
// send them to a local receiver. Prints deliveries/s until all are delivered (or `--max-seconds` has
// passed), the most requests the receiver had unanswered and connections it had open at once (a
// receiver that answers at once rarely sees two requests overlap; the senders' keep-alive
// connections show how many sends were in flight together), and whether each case's deliveries
// arrived in order and once. No Kafka. A script, never a test.
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { createDb, createPool, migrateSchema } from '@gridcase/db';
import { systemClock } from '@gridcase/service-kit';
import pg from 'pg';
import pino from 'pino';
import { clients, webhookDeliveries, webhooks } from '../../services/intake/src/db/schema.ts';
import { DeliveryWorker } from '../../services/intake/src/webhooks/worker.ts';
import { withDatabase } from '../test/template.ts';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    cases: { type: 'string', default: '300' },
    events: { type: 'string', default: '4' },
    instances: { type: 'string', default: '2' },
    'poll-ms': { type: 'string', default: '1000' },
    'max-seconds': { type: 'string', default: '60' },
  },
});
const CASES = Number(values.cases);
const EVENTS = Number(values.events);
const INSTANCES = Number(values.instances);
const POLL_MS = Number(values['poll-ms']);
const MAX_SECONDS = Number(values['max-seconds']);
const TOTAL = CASES * EVENTS;
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const logger = pino({ level: 'error' });

// The receiver, in a process of its own (so its count of open requests is not paced by the senders'
// event loop): 200 at once; what arrived per case, in order, and the most requests open at once.
const RECEIVER = `
  const arrived = {};
  let open = 0, most = 0;
  const server = require('node:http').createServer((req, res) => {
    most = Math.max(most, ++open);
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      const { caseId, n } = JSON.parse(body);
      (arrived[caseId] ??= []).push(n);
      res.on('finish', () => open--);
      res.writeHead(200).end();
    });
  });
  let sockets = 0, mostSockets = 0;
  server.on('connection', (socket) => {
    mostSockets = Math.max(mostSockets, ++sockets);
    socket.on('close', () => sockets--);
  });
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
  process.on('message', () => { process.send({ most, mostSockets, arrived }); server.close(); process.disconnect(); });
`;
const receiver = spawn(process.execPath, ['-e', RECEIVER], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const fromReceiver = <T>() => new Promise<T>((resolve) => receiver.once('message', (m) => resolve(m as T)));
const { port } = await fromReceiver<{ port: number }>();
const url = `http://127.0.0.1:${port}/hook`;

const database = `gridcase_webhook_bench_${process.pid}`;
const admin = new pg.Client({ connectionString: withDatabase(databaseUrl, 'postgres') });
await admin.connect();
await admin.query(`create database "${database}"`);
const pool = createPool(withDatabase(databaseUrl, database), { max: 10, application: 'webhook-bench' });
const workers: DeliveryWorker[] = [];
try {
  await migrateSchema(pool, 'intake', new URL('../../services/intake/src/db/migrations', import.meta.url).pathname);
  const db = createDb(pool);
  const now = new Date();
  await db.insert(clients).values({ clientId: 'bench-client', name: 'bench', roles: ['reporter'] });
  await db.insert(webhooks).values({ webhookId: 'bench-hook', clientId: 'bench-client', url, secret: 'bench-secret-0123456789abcdef' });
  // Interleaved as a burst of reports would queue them: each case's first event, then each one's second, …
  const rows = [];
  for (let n = 0; n < EVENTS; n++) {
    for (let c = 0; c < CASES; c++) {
      const caseId = `case-${c}`;
      rows.push({
        deliveryId: `d-${c}-${n}`,
        webhookId: 'bench-hook',
        caseId,
        eventId: `e-${c}-${n}`,
        eventType: 'gridcase.case.assigned.v1',
        payload: JSON.stringify({ caseId, n }),
        nextAttemptAt: now,
        createdAt: now,
      });
    }
  }
  for (let i = 0; i < rows.length; i += 500) await db.insert(webhookDeliveries).values(rows.slice(i, i + 500));

  const started = performance.now();
  for (let i = 0; i < INSTANCES; i++) {
    const worker = new DeliveryWorker({ db, clock: systemClock, logger, policy: { allowLoopback: true, allowPrivate: false }, pollMs: POLL_MS });
    workers.push(worker);
    worker.start();
  }
  let delivered = 0;
  while (delivered < TOTAL && performance.now() - started < MAX_SECONDS * 1000) {
    await new Promise((r) => setTimeout(r, 100));
    const { rows: counted } = await pool.query<{ n: number }>("select count(*)::int as n from intake.webhook_deliveries where status = 'delivered'");
    delivered = counted[0]!.n;
  }
  const seconds = (performance.now() - started) / 1000;
  const report = fromReceiver<{ most: number; mostSockets: number; arrived: Record<string, number[]> }>();
  receiver.send('report');
  const { most, mostSockets, arrived: byCase } = await report;
  const arrived = new Map(Object.entries(byCase));
  const inOrder = [...arrived.values()].every((ns) => ns.every((n, i) => n === i));
  const received = [...arrived.values()].reduce((s, ns) => s + ns.length, 0);
  console.log(
    `${INSTANCES} instance(s), WEBHOOK_POLL_MS ${POLL_MS}, ${TOTAL} deliveries (${CASES} cases × ${EVENTS}) to one webhook answering 200 at once:`,
  );
  console.log(
    `  ${delivered} delivered in ${seconds.toFixed(1)} s${delivered < TOTAL ? ` (stopped at --max-seconds; ${TOTAL - delivered} still pending)` : ''}: ${(delivered / seconds).toFixed(1)} deliveries/s`,
  );
  console.log(`  at the receiver at once: at most ${most} request(s) unanswered, ${mostSockets} connection(s) open; each case in order: ${inOrder ? 'yes' : 'NO'}; received ${received} (${received - delivered} more than recorded)`);
} finally {
  await Promise.all(workers.map((w) => w.stop()));
  await pool.end();
  await admin.query(`drop database if exists "${database}" with (force)`);
  await admin.end();
  if (receiver.connected) receiver.kill();
}
