import type { WorkingCalendar } from '@gridcase/calendar';
import { type Db, onePerDatabase, type Tx } from '@gridcase/db';
import { sql } from 'drizzle-orm';
import type { SlaPolicy } from '../domain/deadlines.ts';
import { loadCalendar } from './calendar.ts';
import { loadPolicies } from './policies.ts';
import { ruleBook, type StoredRuleSet } from './rules.ts';
import { calendarYears, ruleSets, slaPolicies } from './schema.ts';

/** What deciding a report reads besides the report: the current rules, the SLA policies and the working-day calendar. */
export interface Reference {
  rules: StoredRuleSet;
  policies: SlaPolicy[];
  calendar: WorkingCalendar;
}

interface Cached<T> {
  digest: string;
  value: T;
}

/**
 * The reference data, cached per process and per database. Each read is one statement that asks
 * only for the rules' current version and a digest of the policies and of the calendar (small
 * tables, hashed where they lie); what changed is loaded again. So an admin's change is used from
 * the next read on, by every instance, and a read inside a transaction sees what that transaction
 * sees: the case still names the rule version that decided it.
 */
export class ReferenceCache {
  #policies: Cached<SlaPolicy[]> | undefined;
  #calendar: Cached<WorkingCalendar> | undefined;

  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async current(tx: Tx): Promise<Reference> {
    const { rows } = await tx.execute<{ rules: number | null; policies: string; calendar: string }>(sql`select
      (select max(version) from ${ruleSets}) as rules,
      (select md5(coalesce(string_agg(p::text, ',' order by p.category, p.severity), '')) from ${slaPolicies} p) as policies,
      (select md5(coalesce(string_agg(c::text, ',' order by c.year), '')) from ${calendarYears} c) as calendar`);
    const digests = rows[0];
    if (digests?.rules == null) throw new Error('no rule set stored: seedRuleSet runs at start');
    const rules = await ruleBook(this.#db).version(tx, digests.rules);
    if (this.#policies?.digest !== digests.policies) this.#policies = { digest: digests.policies, value: await loadPolicies(tx) };
    if (this.#calendar?.digest !== digests.calendar) this.#calendar = { digest: digests.calendar, value: await loadCalendar(tx) };
    return { rules, policies: this.#policies.value, calendar: this.#calendar.value };
  }
}

/** The ReferenceCache of a database handle (one per service instance). */
export const referenceCache = onePerDatabase((db) => new ReferenceCache(db));
