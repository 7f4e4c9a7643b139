import { policeGridName, useDesk } from '../context.ts';
import { figureLabel as label, formatFigure } from '../figures.ts';
import type { Loaded } from '../load.ts';
import { formatTime } from '../time.ts';
import { Loading, Problem } from './states.tsx';

type Row = Record<string, unknown>;
const isRows = (v: unknown): v is Row[] => Array.isArray(v) && v.length > 0 && v.every((x) => x && typeof x === 'object' && !Array.isArray(x));

function Table({ rows, caption }: { rows: Row[]; caption: string }) {
  const desk = useDesk();
  const { lang } = desk;
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return (
    <table class="figures">
      <caption>{caption}</caption>
      <thead>
        <tr>
          {keys.map((k) => (
            <th key={k}>{label(lang, k)}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i}>
            {keys.map((k) => (
              <td key={k} class={typeof r[k] === 'number' ? 'num' : ''}>
                {k === 'policeGridCode' && typeof r[k] === 'string' ? `${r[k]} ${policeGridName(desk, r[k] as string)}` : formatFigure(lang, k, r[k])}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function StatsView({ stats }: { stats: Loaded<Record<string, unknown>> }) {
  const { tr, lang } = useDesk();
  if (stats.loading) return <Loading text={tr('stats.loading')} />;
  if (!stats.data) return <Problem error={stats.error} />;
  const { from, to, overall, ...rest } = stats.data;
  const cards = overall && typeof overall === 'object' ? Object.entries(overall as Row) : [];
  return (
    <section class="stats" aria-labelledby="stats-title" data-testid="stats">
      <h2 id="stats-title">{tr('stats.title')}</h2>
      {typeof from === 'string' && typeof to === 'string' ? <p class="muted">{tr('stats.from', { from: formatTime(from), to: formatTime(to) })}</p> : null}
      {stats.error ? <Problem error={stats.error} /> : null}
      <h3>{tr('stats.overall')}</h3>
      <div class="cards">
        {cards.map(([k, v]) =>
          isRows(v) ? null : (
            <div key={k} class="card">
              <div class="card-label">{label(lang, k)}</div>
              <div class="card-value">{formatFigure(lang, k, v)}</div>
            </div>
          ),
        )}
      </div>
      {cards.filter(([, v]) => isRows(v)).map(([k, v]) => (
        <Table key={k} rows={v as Row[]} caption={label(lang, k)} />
      ))}
      {Object.entries(rest).map(([k, v]) =>
        isRows(v) ? (
          <Table key={k} rows={v} caption={label(lang, k)} />
        ) : v && typeof v === 'object' && !Array.isArray(v) ? (
          <Table key={k} rows={[v as Row]} caption={label(lang, k)} />
        ) : Array.isArray(v) ? null : (
          <p key={k}>
            {label(lang, k)}: {formatFigure(lang, k, v)}
          </p>
        ),
      )}
    </section>
  );
}
