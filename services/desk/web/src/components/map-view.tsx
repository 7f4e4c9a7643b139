import type { CommunityGrid, DeskMap, DeskMapCase, PoliceGrid } from '@gridcase/contracts';
import { useMemo, useState } from 'preact/hooks';
import { categoryName, policeGridName, useDesk } from '../context.ts';
import { nextDeadline } from '../deadline.ts';
import { boundsOf, centreOf, type Geometry, pathOf, projection, spread } from '../geo.ts';
import { word } from '../i18n.ts';
import { problemText } from '../refusals.ts';
import type { Loaded } from '../load.ts';
import { untilDeadline } from '../time.ts';
import { Loading, Problem } from './states.tsx';

const WIDTH = 1000;
/** Drawn last, so on top: red above orange above yellow. */
const GRADE_RANK: Record<string, number> = { red: 3, orange: 2, yellow: 1 };

interface Props {
  policeGrids: PoliceGrid[] | undefined;
  grids: CommunityGrid[] | undefined;
  gridsError: Loaded<unknown>['error'];
  cases: Loaded<DeskMap>;
  selected: string | null;
  onOpen(caseId: string): void;
}

interface Placed {
  c: DeskMapCase;
  x: number;
  y: number;
  /** Drawn at its grid's centre: the report gave no point. */
  approx: boolean;
}

/**
 * The station's police grids and community grids drawn from their GeoJSON as SVG (no tiles: the
 * station's network may reach no tile server), open cases as points coloured by grade, overdue
 * ones ringed, each a button that opens the case.
 */
export function MapView({ policeGrids, grids, gridsError, cases, selected, onOpen }: Props) {
  const desk = useDesk();
  const { tr, lang, now } = desk;
  const [layers, setLayers] = useState({ policeGrids: true, grids: true, cases: true });

  const shapes = useMemo(() => {
    const pg = (policeGrids ?? []).filter((g): g is PoliceGrid & { geometry: Geometry } => !!g.geometry);
    const cg = (grids ?? []) as (CommunityGrid & { geometry: Geometry })[];
    const b = boundsOf([...pg.map((g) => g.geometry), ...cg.map((g) => g.geometry)]);
    if (!b) return undefined;
    const p = projection(b, WIDTH);
    return {
      p,
      police: pg.map((g) => ({ g, d: pathOf(g.geometry, p), centre: p.project(centreOf(g.geometry)) })),
      community: cg.map((g) => ({ g, d: pathOf(g.geometry, p), centre: p.project(centreOf(g.geometry)) })),
    };
  }, [policeGrids, grids]);

  const placed = useMemo(() => {
    if (!shapes) return { points: [] as Placed[], unplaced: 0 };
    const gridCentre = new Map(shapes.community.map((s) => [s.g.code, s.centre]));
    const policeCentre = new Map(shapes.police.map((s) => [s.g.code, s.centre]));
    const points: Placed[] = [];
    let unplaced = 0;
    for (const c of cases.data?.items ?? []) {
      if (c.point) {
        const [x, y] = shapes.p.project([c.point.lng, c.point.lat]);
        points.push({ c, x, y, approx: false });
        continue;
      }
      const centre = (c.gridCode && gridCentre.get(c.gridCode)) || (c.policeGridCode && policeCentre.get(c.policeGridCode));
      if (!centre) {
        unplaced++;
        continue;
      }
      const [dx, dy] = spread(c.caseId, 14);
      points.push({ c, x: centre[0] + dx, y: centre[1] + dy, approx: true });
    }
    // Overdue and red on top.
    const rank = (p: Placed) => (p.c.overdue ? 10 : 0) + (GRADE_RANK[p.c.severity ?? ''] ?? 0);
    points.sort((a, b) => rank(a) - rank(b));
    return { points, unplaced };
  }, [shapes, cases.data]);

  if (!policeGrids && !grids && !gridsError) return <Loading text={tr('map.loading')} />;
  if (gridsError && !shapes) return <Problem error={gridsError} text={tr('map.error', { e: problemText(lang, gridsError) })} />;
  if (!shapes) return <p class="empty">{tr('map.empty')}</p>;

  const toggle = (k: keyof typeof layers) => setLayers({ ...layers, [k]: !layers[k] });
  const { p } = shapes;
  return (
    <section class="map" aria-labelledby="map-title">
      <h2 id="map-title">{tr('map.title')}</h2>
      <div class="map-tools">
        {(['policeGrids', 'grids', 'cases'] as const).map((k) => (
          <label key={k}>
            <input type="checkbox" checked={layers[k]} onChange={() => toggle(k)} /> {tr(`map.${k}`)}
          </label>
        ))}
        {cases.error ? <Problem error={cases.error} onRetry={cases.retry} /> : null}
        {cases.data?.truncated ? <span class="muted">{tr('map.truncated', { n: cases.data.items.length })}</span> : null}
        {placed.unplaced ? <span class="muted">{tr('map.noPlace', { n: placed.unplaced })}</span> : null}
      </div>
      <svg class="map-svg" viewBox={`0 0 ${p.width} ${p.height}`} role="img" aria-label={tr('map.title')} data-testid="map">
        {layers.grids ? (
          <g class="layer-grids">
            {shapes.community.map(({ g, d }) => (
              <path key={g.code} d={d} class="grid" fill-rule="evenodd" data-grid={g.code}>
                <title>{`${g.name} · ${g.community.name} · ${g.policeGridCode}`}</title>
              </path>
            ))}
          </g>
        ) : null}
        {layers.policeGrids ? (
          <g class="layer-police-grids">
            {shapes.police.map(({ g, d }) => (
              <path key={g.code} d={d} class="police-grid" fill-rule="evenodd" data-police-grid={g.code}>
                <title>{`${g.code} ${g.name}`}</title>
              </path>
            ))}
            {shapes.police.map(({ g, centre }) => (
              <text key={`${g.code}-label`} x={centre[0]} y={centre[1]} class="police-grid-label" text-anchor="middle">
                {g.code}
              </text>
            ))}
          </g>
        ) : null}
        {layers.cases ? (
          <g class="layer-cases">
            {placed.points.map(({ c, x, y, approx }) => {
              const next = nextDeadline(c);
              const label = [
                c.caseNumber ?? c.caseId,
                word(lang, 'severity', c.severity),
                word(lang, 'status', c.status),
                categoryName(desk, c.category),
                policeGridName(desk, c.policeGridCode),
                next ? untilDeadline(lang, next.due, now).text : '',
                approx ? tr('map.approx') : '',
              ]
                .filter(Boolean)
                .join(' · ');
              return (
                // biome-ignore lint/a11y/useSemanticElements: an SVG point cannot be a <button>; it takes the role, focus and keys of one
                <g
                  key={c.caseId}
                  class={`case-point grade-${c.severity ?? 'none'}${c.overdue ? ' overdue' : ''}${approx ? ' approx' : ''}${selected === c.caseId ? ' selected' : ''}`}
                  transform={`translate(${x.toFixed(1)} ${y.toFixed(1)})`}
                  role="button"
                  tabIndex={0}
                  aria-label={label}
                  data-case-id={c.caseId}
                  onClick={() => onOpen(c.caseId)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter' || e.key === ' ') {
                      e.preventDefault();
                      onOpen(c.caseId);
                    }
                  }}
                >
                  <title>{label}</title>
                  {c.overdue ? <circle r="13" class="overdue-ring" /> : null}
                  <circle r="7" class="dot" />
                  {c.overdue ? (
                    <text y="-15" class="overdue-mark" text-anchor="middle">
                      !
                    </text>
                  ) : null}
                </g>
              );
            })}
          </g>
        ) : null}
      </svg>
      <div class="legend">
        {(['red', 'orange', 'yellow', 'service', 'statutory'] as const).map((s) => (
          <span key={s} class={`legend-item grade-${s}`}>
            <svg width="16" height="16" aria-hidden="true">
              <circle cx="8" cy="8" r="6" class="dot" />
            </svg>
            {word(lang, 'severity', s)}
          </span>
        ))}
        <span class="legend-item overdue">
          <svg width="22" height="22" aria-hidden="true">
            <circle cx="11" cy="11" r="9" class="overdue-ring" />
            <circle cx="11" cy="11" r="5" class="dot" />
          </svg>
          {tr('map.overdue')}
        </span>
        <span class="legend-item approx">
          <svg width="16" height="16" aria-hidden="true">
            <circle cx="8" cy="8" r="6" class="dot" />
          </svg>
          {tr('map.approx')}
        </span>
      </div>
    </section>
  );
}
