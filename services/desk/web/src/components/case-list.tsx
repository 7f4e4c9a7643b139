import type { DeskCaseSummary } from '@gridcase/contracts';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.ts';
import { categoryName, gridName, ownersText, policeGridName, useDesk } from '../context.ts';
import { caseQuery, type Filter, NO_POLICE_GRID, policeGridChoices, QUICK, type Quick, searchTerm } from '../filter.ts';
import { codes, type Key, t, word } from '../i18n.ts';
import type { Loaded } from '../load.ts';
import { formatTime, formatTimeShort } from '../time.ts';
import { Deadline, Grade, Status } from './badges.tsx';
import { Loading, Problem } from './states.tsx';

const QUICK_LABEL: Record<Quick, Key> = {
  unresolved: 'filter.unresolved',
  dueSoon: 'filter.dueSoon',
  overdue: 'filter.overdue',
  escalated: 'filter.escalated',
  onHold: 'filter.onHold',
  toVerify: 'filter.toVerify',
  toFollowUp: 'filter.toFollowUp',
  closed: 'filter.closed',
  all: 'filter.all',
};

interface Props {
  filter: Filter;
  setFilter(f: Filter): void;
  list: Loaded<{ items: DeskCaseSummary[]; nextCursor: string | null }>;
  onMore(): void;
  selected: string | null;
  onSelect(caseId: string): void;
  fresh: ReadonlySet<string>;
  officers: { officerId: string; name: string | null }[];
}

/**
 * 按案件编号查找: Enter lists the cases whose number starts with what was typed (or with that case or
 * report id), whatever their status, within the other filters; when exactly one matches it opens.
 */
function Search({ filter, setFilter, onSelect }: Pick<Props, 'filter' | 'setFilter' | 'onSelect'>) {
  const { tr, token, say } = useDesk();
  const [typed, setTyped] = useState(filter.q ?? '');
  // 清除筛选 empties the box too.
  useEffect(() => setTyped(filter.q ?? ''), [filter.q]);
  const submit = async (e: Event) => {
    e.preventDefault();
    const q = searchTerm(typed);
    const next: Filter = { ...filter, quick: q ? 'all' : filter.quick, q };
    setFilter(next);
    if (!q) return;
    try {
      const found = (await api<{ items: DeskCaseSummary[] }>(token, `/v1/cases?${caseQuery(next, 2)}`)).body.items;
      if (found.length === 1) onSelect(found[0]!.caseId);
      else if (found.length === 0) say((l) => t(l, 'search.none', { q }), 'error');
    } catch {
      // The list, loading the same query, shows what went wrong.
    }
  };
  return (
    <form class="search" onSubmit={submit}>
      <label for="case-search">
        {tr('search.label')}
        <input
          id="case-search"
          type="search"
          name="q"
          value={typed}
          placeholder="CG-2026-000123"
          title={tr('search.hint')}
          maxLength={128}
          autocomplete="off"
          onInput={(e) => setTyped((e.currentTarget as HTMLInputElement).value)}
        />
      </label>
    </form>
  );
}

/** A select of the filter that shows names and sends codes; "any" clears it. */
function Choice({ label, value, options, onChange, id }: { label: string; value: string | undefined; options: [string, string][]; onChange(v: string | undefined): void; id: string }) {
  const { tr } = useDesk();
  return (
    <label>
      {label}
      <select id={id} value={value ?? ''} onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value || undefined)}>
        <option value="">{tr('filter.any')}</option>
        {options.map(([code, name]) => (
          <option key={code} value={code}>
            {name}
          </option>
        ))}
      </select>
    </label>
  );
}

export function CaseList({ filter, setFilter, list, onMore, selected, onSelect, fresh, officers }: Props) {
  const desk = useDesk();
  const { tr, lang } = desk;
  const set = (patch: Partial<Filter>) => setFilter({ ...filter, ...patch });
  const items = list.data?.items ?? [];
  return (
    <section class="list" aria-labelledby="list-title">
      <h2 id="list-title">{tr('list.title')}</h2>
      <div class="chips" role="toolbar" aria-label={tr('list.title')}>
        {QUICK.map((q) => (
          <button key={q} type="button" class={filter.quick === q ? 'chip on' : 'chip'} aria-pressed={filter.quick === q} onClick={() => set({ quick: q })}>
            {tr(QUICK_LABEL[q])}
          </button>
        ))}
      </div>
      <div class="filters">
        <Search filter={filter} setFilter={setFilter} onSelect={onSelect} />
        <Choice
          id="filter-police-grid"
          label={tr('filter.policeGrid')}
          value={filter.policeGrid}
          options={[
            ...policeGridChoices([...desk.policeGrids.values()], [...desk.grids.values()], desk.me.roles).map((g): [string, string] => [g.code, `${g.code} ${g.name}`]),
            [NO_POLICE_GRID, tr('queue.notRouted')],
          ]}
          onChange={(policeGrid) => set({ policeGrid, grid: undefined })}
        />
        <Choice
          id="filter-grid"
          label={tr('filter.grid')}
          value={filter.grid}
          options={[...desk.grids.values()].filter((g) => !filter.policeGrid || filter.policeGrid === NO_POLICE_GRID || g.policeGridCode === filter.policeGrid).map((g) => [g.code, `${g.name}`])}
          onChange={(grid) => set({ grid })}
        />
        <Choice
          id="filter-officer"
          label={tr('filter.officer')}
          value={filter.assignee}
          options={officers.map((o) => [o.officerId, o.name ?? o.officerId])}
          onChange={(assignee) => set({ assignee })}
        />
        <Choice
          id="filter-category"
          label={tr('filter.category')}
          value={filter.category}
          options={[...desk.categories.values()].map((c) => [c.code, c.name[lang]])}
          onChange={(category) => set({ category })}
        />
        <Choice
          id="filter-severity"
          label={tr('filter.severity')}
          value={filter.severity}
          options={codes('severity').map((s) => [s, word(lang, 'severity', s)])}
          onChange={(severity) => set({ severity })}
        />
        <button type="button" class="secondary" onClick={() => setFilter({ quick: filter.quick })}>
          {tr('filter.clear')}
        </button>
      </div>
      {list.error ? <Problem error={list.error} onRetry={list.retry} /> : null}
      {list.loading ? (
        <Loading text={tr('list.loading')} />
      ) : items.length === 0 && !list.error ? (
        <p class="empty">{tr('list.empty')}</p>
      ) : items.length ? (
        <table class="cases" data-testid="case-list">
          <thead>
            <tr>
              <th>{tr('list.case')}</th>
              <th>{tr('list.grade')}</th>
              <th>{tr('list.status')}</th>
              <th>{tr('list.category')}</th>
              <th class="col-place">{tr('list.place')}</th>
              <th class="col-owners">{tr('list.owners')}</th>
              <th class="col-deadline">{tr('list.deadline')}</th>
              <th class="col-opened">{tr('list.opened')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr
                key={c.caseId}
                data-case-id={c.caseId}
                class={`case${c.caseId === selected ? ' selected' : ''}${fresh.has(c.caseId) ? ' fresh' : ''}${c.overdue ? ' is-overdue' : ''}`}
                onClick={() => onSelect(c.caseId)}
              >
                <td>
                  <button type="button" class="link case-number" onClick={() => onSelect(c.caseId)}>
                    {c.caseNumber ?? c.caseId.slice(0, 8)}
                  </button>
                  {fresh.has(c.caseId) ? <span class="new">{tr('list.new')}</span> : null}
                  {c.level > 0 ? <span class="level">↑{c.level}</span> : null}
                </td>
                <td>
                  <Grade severity={c.severity} />
                </td>
                <td>
                  <Status status={c.status} />
                </td>
                <td class="col-category">
                  <div>{categoryName(desk, c.category)}</div>
                  {c.title ? <div class="muted small">{c.title}</div> : null}
                </td>
                <td class="col-place">
                  <div>{policeGridName(desk, c.policeGridCode)}</div>
                  <div class="muted small">{gridName(desk, c.gridCode)}</div>
                </td>
                <td class="small col-owners">{ownersText(desk, c.assignees)}</td>
                <td class="col-deadline">
                  <Deadline c={c} />
                </td>
                <td class="small opened col-opened" title={formatTime(c.openedAt)}>
                  {formatTimeShort(c.openedAt, desk.now)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <p class="list-foot">
        <span class="muted">{tr('list.count', { n: items.length })}</span>
        {list.data?.nextCursor ? (
          <button type="button" class="secondary" onClick={onMore}>
            {tr('list.more')}
          </button>
        ) : null}
      </p>
    </section>
  );
}
