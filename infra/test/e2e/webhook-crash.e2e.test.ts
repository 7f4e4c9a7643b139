/**
 * Telling the sender survives a crash (issue 9): intake is killed with SIGKILL while a webhook
 * delivery is in flight, and after the restart every case event still reaches the receiver, signed,
 * in order per case, with no personal data.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, isolatedEnv } from '../harness.ts';
import { Stack } from '../stack.ts';

interface Received {
  body: string;
  signature: string | undefined;
  delivery: string | undefined;
}

const SECRET = 'receiver-secret-0123456789abcdef';
const REPORTER = { name: '赵建国', phone: '13709876543', idNumber: '620321197001011234' };

describe('webhook deliveries across a kill -9 of intake', () => {
  let stack: Stack;
  let receiver: Server;
  const received: Received[] = [];
  /** While true, the receiver holds every request open: the delivery is in flight. */
  let hang = true;
  const held: ServerResponse[] = [];

  beforeAll(async () => {
    receiver = createServer((req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        received.push({ body, signature: req.headers['x-gridcase-signature'] as string | undefined, delivery: req.headers['x-gridcase-delivery'] as string | undefined });
        if (hang) held.push(res);
        else res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    stack = await Stack.start(isolatedEnv, { WEBHOOK_ALLOW_LOOPBACK: 'true' });
  }, 300_000);

  afterAll(async () => {
    for (const res of held) res.destroy();
    await new Promise((resolve) => receiver?.close(resolve));
    await stack?.stop();
  });

  it('loses no event and sends them in order per case, signed, without personal data', async () => {
    const port = (receiver.address() as AddressInfo).port;
    const made = await stack.call('intake', 'POST', '/v1/clients', { body: { name: 'webhook sender', roles: ['reporter'] } });
    const token = made.body.token as string;
    const sub = await stack.call('intake', 'POST', '/v1/webhooks', { token, body: { url: `http://127.0.0.1:${port}/hook`, secret: SECRET } });
    expect(sub.status, JSON.stringify(sub.body)).toBe(201);

    const posted = await stack.call('intake', 'POST', '/v1/reports', {
      token,
      body: { externalId: `crash-${Date.now()}`, description: '新城子镇敬老院门口路灯坏了一周，老人晚上出门不方便', location: { address: '永昌县新城子镇敬老院' }, reporter: REPORTER },
    });
    expect(posted.status, JSON.stringify(posted.body)).toBe(202);
    const reportId = posted.body.reportId as string;

    // The first delivery is on the wire and unanswered: kill intake now.
    await eventually('a delivery in flight', async () => received.length > 0 || undefined, 60_000);
    await stack.kill('intake', 'SIGKILL');
    for (const res of held.splice(0)) res.destroy();
    hang = false;
    await stack.startService('intake');

    // Every event of the case is delivered: the case's own events as the case topic has them.
    const caseId = await eventually('the report assigned', async () => {
      const view = (await stack.call('intake', 'GET', `/v1/reports/${reportId}`)).body;
      return view?.status === 'assigned' ? (view.caseId as string) : undefined;
    });
    const deliveries = await eventually('every delivery delivered', async () => {
      const list = await stack.call('intake', 'GET', `/v1/webhooks/${sub.body.webhookId}/deliveries`, { token });
      const items = (list.body?.items ?? []) as { status: string; eventId: string; eventType: string }[];
      return items.length >= 2 && items.every((d) => d.status === 'delivered') ? items : undefined;
    }, 120_000);

    const events = received.map((r) => ({ ...r, event: JSON.parse(r.body) as { id: string; type: string; subject?: string; data: { caseId?: string } } }));
    for (const r of events) {
      // Signed with the secret over the raw body.
      expect(r.signature).toBe(`sha256=${createHmac('sha256', SECRET).update(r.body).digest('hex')}`);
      for (const value of Object.values(REPORTER)) expect(r.body).not.toContain(value);
    }
    // The one in flight at the kill was sent again (at least once); each event arrived, none lost.
    const distinct = [...new Map(events.map((e) => [e.event.id, e.event])).values()];
    expect(deliveries.map((d) => d.eventId).filter((id) => !distinct.some((e) => e.id === id))).toEqual([]);
    const types = distinct.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['gridcase.case.opened.v1', 'gridcase.case.assigned.v1']));
    // In order per case: first arrivals follow the case's event order (opened before assigned).
    expect(types.indexOf('gridcase.case.opened.v1')).toBeLessThan(types.indexOf('gridcase.case.assigned.v1'));
    expect(distinct.every((e) => e.data.caseId === undefined || e.data.caseId === caseId)).toBe(true);
  }, 300_000);
});
