import type { Location } from '@gridcase/contracts';

/** Where a report is, coarsely: reports at the same key may be about the same thing. */
export function locationKey(location: Location): string {
  if (location.gridCode) return `grid:${location.gridCode}`;
  if (location.lat !== undefined && location.lng !== undefined) {
    // About 100 m cells.
    return `pt:${location.lat.toFixed(3)},${location.lng.toFixed(3)}`;
  }
  if (location.communityCode) return `community:${location.communityCode}`;
  return `addr:${fingerprint(location.address ?? '')}`;
}

/** Text with case, spacing and punctuation (Chinese and Latin) removed. */
export function fingerprint(text: string): string {
  return text.toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '');
}

export const MERGE_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface OpenCase {
  caseId: string;
  category: string;
  locationKey: string;
  fingerprint: string;
  openedAt: Date;
}

/** The open case a new report repeats: same category, same place, same words, within a day. */
export function findDuplicate(
  candidates: readonly OpenCase[],
  report: { category: string; locationKey: string; fingerprint: string; receivedAt: Date },
): OpenCase | undefined {
  return candidates.find(
    (c) =>
      c.category === report.category &&
      c.locationKey === report.locationKey &&
      c.fingerprint === report.fingerprint &&
      report.receivedAt.getTime() - c.openedAt.getTime() < MERGE_WINDOW_MS,
  );
}
