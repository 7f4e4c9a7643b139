import { Instant, LeavePeriod, PairingRule, RosterEntry } from '@gridcase/contracts';
import type { Db } from '@gridcase/db';
import { type App, auditedChange, type Clock, type createLogger, notFound, requestScope } from '@gridcase/service-kit';
import { z } from 'zod';
import { listLeave, listPairingRules, loadDuty, recordLeave } from '../db/roster.ts';
import { officerExists, stationInScope } from '../db/reference.ts';
import { audit } from '../db/schema.ts';
import { DEFAULT_PAIRING } from '../domain/pairing.ts';

type Logger = ReturnType<typeof createLogger>;

const LeaveView = z.object({
  leaveId: z.string(),
  officerId: z.string(),
  from: Instant,
  until: Instant,
  reason: z.string(),
  source: z.enum(['import', 'api']),
  recordedBy: z.string().nullable(),
  recordedAt: Instant,
});
const Params = z.object({ officerId: z.string().min(1).max(64) });
const SUPERVISORS = ['desk', 'supervisor'] as const;

/** Shifts, leave and pairing rules: read by the desk and supervisors, leave recorded by them (and admin). */
export function rosterRoutes(app: App, db: Db, clock: Clock, logger: Logger) {
  /** 404 for an unknown officer, and for every officer of a station outside the token's scope. */
  const knownOfficer = async (req: Parameters<typeof requestScope>[0], officerId: string) => {
    if (!(await officerExists(db, officerId)) || !(await stationInScope(db, requestScope(req)))) throw notFound('no officer with this id');
  };

  app.post(
    '/v1/officers/:officerId/leave',
    {
      config: { roles: [...SUPERVISORS], scope: 'station' },
      schema: {
        summary: 'Records leave or absence (201; the same period and reason again: 200 with the record already made); unacknowledged cases of the person are handed on while it lasts',
        params: Params,
        body: LeavePeriod,
        response: { 201: LeaveView, 200: LeaveView },
      },
    },
    async (req, reply) => {
      await knownOfficer(req, req.params.officerId);
      // The reason can be personal (illness): it stays in the table, out of the log and out of the audit entry.
      const { record: saved, created } = await auditedChange(
        db,
        audit,
        req,
        (tx) => recordLeave(tx, req.params.officerId, req.body, req.principal?.clientId ?? null, clock.now()),
        ({ record: leave, created }) =>
          created ? { action: 'leave.recorded', target: `officer:${leave.officerId}`, before: null, after: { leaveId: leave.leaveId, from: leave.from, until: leave.until } } : null,
      );
      if (!created) {
        // A repeat (the same period and reason): the record it made, as a repeated report answers 200.
        logger.info({ officerId: saved.officerId, leaveId: saved.leaveId }, `leave of ${saved.officerId} repeated; already recorded`);
        return reply.code(200).send(saved);
      }
      logger.info({ officerId: saved.officerId, leaveId: saved.leaveId, from: saved.from, until: saved.until, by: saved.recordedBy }, `leave recorded for ${saved.officerId}`);
      return reply.code(201).send(saved);
    },
  );

  app.get(
    '/v1/officers/:officerId/leave',
    {
      config: { roles: [...SUPERVISORS], scope: 'station' },
      schema: { summary: "A person's leave and absence, imported and recorded, oldest first", params: Params, response: { 200: z.object({ items: z.array(LeaveView) }) } },
    },
    async (req) => {
      await knownOfficer(req, req.params.officerId);
      return { items: await listLeave(db, req.params.officerId) };
    },
  );

  app.get(
    '/v1/rosters',
    {
      config: { roles: [...SUPERVISORS, 'officer'], scope: 'station' },
      schema: {
        summary: 'Shifts and on-call per person (Asia/Shanghai local time) and the pairing rules in force',
        response: { 200: z.object({ items: z.array(RosterEntry.omit({ leave: true })), pairing: z.array(PairingRule) }) },
      },
    },
    async (req) => {
      if (!(await stationInScope(db, requestScope(req)))) return { items: [], pairing: [] };
      const duty = await loadDuty(db);
      const pairing = await listPairingRules(db);
      return {
        items: [...duty].map(([officerId, r]) => ({ officerId, shifts: [...r.shifts], onCall: r.onCall })),
        pairing: pairing.length > 0 ? pairing : [...DEFAULT_PAIRING],
      };
    },
  );
}
