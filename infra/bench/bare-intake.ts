// The bench's baseline for intake, as its own process: bare fastify and one pg statement that
// stores the report and its outbox row in one transaction — no auth, no validation, no rate limit,
// no idempotency, no relay. What intake does beyond this is what the ratio prices.
//   DATABASE_URL=… node infra/bench/bare-intake.ts   (prints "listening <port>")
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
await pool.query(`
  create schema if not exists bench_bare;
  create table if not exists bench_bare.reports (id uuid primary key, body jsonb not null, received_at timestamptz not null default now());
  create table if not exists bench_bare.outbox (id bigserial primary key, topic text not null, key text not null, value jsonb not null, sent_at timestamptz);`);

const app = Fastify({ logger: false });
app.post('/v1/reports', async (req, reply) => {
  const id = randomUUID();
  await pool.query(
    `with report as (insert into bench_bare.reports (id, body) values ($1, $2) returning id)
     insert into bench_bare.outbox (topic, key, value) select 'reports', id::text, $2 from report`,
    [id, req.body],
  );
  return reply.status(202).send({ reportId: id });
});
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
console.log(`listening ${typeof address === 'object' && address ? address.port : 0}`);
process.once('SIGTERM', async () => {
  await app.close();
  await pool.end();
  process.exit(0);
});
