import type { Officer } from '@gridcase/contracts';

/** The order posts are listed in within a group: those who work a case first, the station's leaders last. */
const ROLE_ORDER: readonly string[] = ['officer', 'gridWorker', 'lead', 'deskLeader', 'deputyChief', 'chief'];

/**
 * What the picker says of a person's duty now (assignment's `duty` by the rosters, or `onDuty` from an
 * older assignment): 休假 when on leave (the case of record refuses them), 不在岗 when off shift (they
 * may be called in), nothing when on duty.
 */
export function dutyKey(o: { onDuty?: boolean; duty?: string }): 'form.onLeave' | 'form.offDuty' | undefined {
  if (o.duty === 'on-leave') return 'form.onLeave';
  return o.duty === 'off-duty' || o.onDuty === false ? 'form.offDuty' : undefined;
}

/** 0: of the case's own police grid or grid; 1: the station's leaders and desk leader (no police grid); 2: everyone else. */
export function nearness(o: Pick<Officer, 'role' | 'policeGridCode' | 'gridCode'>, place: { policeGridCode: string | null; gridCode: string | null }): 0 | 1 | 2 {
  if (o.gridCode && o.gridCode === place.gridCode) return 0;
  if (o.role !== 'gridWorker' && o.policeGridCode && o.policeGridCode === place.policeGridCode) return 0;
  if (!o.policeGridCode && !o.gridCode) return 1;
  return 2;
}

/**
 * Whether the case of record would take this person as an owner of the case at all: a grid worker owns
 * only cases of their own community grid and never a tip (assignment's gridWorkerMisfit), so the picker
 * does not offer one it always refuses. Everyone else may be named (leave and the police rule are judged
 * when sent).
 */
export function mayOwn(o: Pick<Officer, 'role' | 'gridCode'>, c: { gridCode: string | null; category?: string | null }): boolean {
  if (o.role !== 'gridWorker') return true;
  return !c.category?.startsWith('tip.') && c.gridCode !== null && o.gridCode === c.gridCode;
}

/**
 * Whom the reassign (改派) picker lists for a case: without a query, the case's own police grid and grid
 * and the station's leaders; with one, everyone whose name, id, police grid or grid (`placeText`, e.g.
 * the grid's name) contains it. Never a grid worker the case of record would refuse (`mayOwn`). Nearest
 * first, then by post, on duty before off duty, police grid, name.
 */
export function rosterFor<T extends Pick<Officer, 'officerId' | 'name' | 'role' | 'policeGridCode' | 'gridCode' | 'onDuty'>>(
  officers: readonly T[],
  place: { policeGridCode: string | null; gridCode: string | null; category?: string | null },
  query: string,
  placeText: (o: T) => string = () => '',
): T[] {
  const q = query.trim().toLowerCase();
  const matches = (o: T) => [o.name, o.officerId, o.policeGridCode ?? '', o.gridCode ?? '', placeText(o)].some((s) => s.toLowerCase().includes(q));
  return officers
    .filter((o) => mayOwn(o, place) && (q ? matches(o) : nearness(o, place) < 2))
    .map((o) => ({ o, near: nearness(o, place), role: ROLE_ORDER.indexOf(o.role) }))
    .sort(
      (a, b) =>
        a.near - b.near ||
        a.role - b.role ||
        Number(b.o.onDuty !== false) - Number(a.o.onDuty !== false) ||
        (a.o.policeGridCode ?? '').localeCompare(b.o.policeGridCode ?? '') ||
        a.o.name.localeCompare(b.o.name, 'zh-CN'),
    )
    .map((x) => x.o);
}
