import type { DeskCaseSummary, DeskQueues } from '@gridcase/contracts';
import { policeGridName, useDesk } from '../context.ts';
import { policeGridFilterOf } from '../filter.ts';
import type { Loaded } from '../load.ts';
import { Problem } from './states.tsx';

interface Props {
  queues: Loaded<DeskQueues>;
  /** Cases with a deadline within 30 minutes (GET /v1/cases?dueWithin=PT30M): 催办, counted per queue here. */
  dueSoon: DeskCaseSummary[] | undefined;
  onPoliceGrid(code: string | null): void;
  onOfficer(officerId: string): void;
  active: { policeGrid?: string | undefined; assignee?: string | undefined };
}

const countBy = (items: DeskCaseSummary[] | undefined, key: (c: DeskCaseSummary) => string[]) => {
  const counts = new Map<string, number>();
  for (const c of items ?? []) for (const k of key(c)) counts.set(k, (counts.get(k) ?? 0) + 1);
  return counts;
};

function Count({ n, kind }: { n: number | undefined; kind?: 'soon' | 'overdue' | 'escalated' }) {
  return <td class={`num${n && kind ? ` ${kind}` : ''}`}>{n ?? 0}</td>;
}

/** GET /v1/queues's counts by status, in the order of a case's life: every case not closed is in one of them. */
const BY_STATUS = ['open', 'acknowledged', 'resolved', 'followUp', 'onHold'] as const;

/** Work not closed per police grid and per owner: by status (待签收 … 挂账), then due soon (催办), overdue, escalated. */
export function Queues({ queues, dueSoon, onPoliceGrid, onOfficer, active }: Props) {
  const desk = useDesk();
  const { tr } = desk;
  if (queues.loading) return <p class="muted">{tr('list.loading')}</p>;
  if (!queues.data) return <Problem error={queues.error} onRetry={queues.retry} />;
  const soonByGrid = countBy(dueSoon, (c) => [c.policeGridCode ?? '']);
  const soonByOfficer = countBy(dueSoon, (c) => c.assignees.map((a) => a.officerId));
  const head = (first: string) => (
    <thead>
      <tr>
        <th>{first}</th>
        {BY_STATUS.map((status) => (
          <th key={status} class="num" title={tr(`queue.${status}Hint`)}>
            {tr(`queue.${status}`)}
          </th>
        ))}
        <th class="num" title={tr('queue.dueSoonHint')}>
          {tr('queue.dueSoon')}
        </th>
        <th class="num">{tr('queue.overdue')}</th>
        <th class="num">{tr('queue.escalated')}</th>
      </tr>
    </thead>
  );
  const { policeGrids, officers } = queues.data;
  return (
    <div class="queues">
      {queues.error ? <Problem error={queues.error} onRetry={queues.retry} /> : null}
      {policeGrids.length === 0 ? <p class="empty">{tr('queue.empty')}</p> : null}
      {policeGrids.length ? (
        <table class="queue" data-testid="queue-police-grids">
          {head(tr('queue.policeGrids'))}
          <tbody>
            {policeGrids.map((g) => (
              <tr key={g.policeGridCode ?? '-'} class={active.policeGrid === policeGridFilterOf(g.policeGridCode) ? 'active' : ''}>
                <td>
                  <button type="button" class="link" onClick={() => onPoliceGrid(g.policeGridCode)}>
                    {g.policeGridCode ? (
                      <>
                        <b>{g.policeGridCode}</b> {policeGridName(desk, g.policeGridCode) !== g.policeGridCode ? policeGridName(desk, g.policeGridCode) : ''}
                      </>
                    ) : (
                      tr('queue.notRouted')
                    )}
                  </button>
                </td>
                {BY_STATUS.map((status) => (
                  <Count key={status} n={g[status]} />
                ))}
                <Count n={soonByGrid.get(g.policeGridCode ?? '')} kind="soon" />
                <Count n={g.overdue} kind="overdue" />
                <Count n={g.escalated} kind="escalated" />
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {officers.length ? (
        <table class="queue" data-testid="queue-officers">
          {head(tr('queue.officers'))}
          <tbody>
            {officers.map((o) => (
              <tr key={o.officerId} class={active.assignee === o.officerId ? 'active' : ''}>
                <td>
                  <button type="button" class="link" onClick={() => onOfficer(o.officerId)}>
                    {o.name ?? o.officerId}
                  </button>
                </td>
                {BY_STATUS.map((status) => (
                  <Count key={status} n={o[status]} />
                ))}
                <Count n={soonByOfficer.get(o.officerId)} kind="soon" />
                <Count n={o.overdue} kind="overdue" />
                <Count n={o.escalated} kind="escalated" />
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
