import { instantCursor } from '@gridcase/contracts';

/** Where a page of the case list ends: lists run newest first by (openedAt, caseId). */
export interface CaseCursor {
  openedAt: Date;
  caseId: string;
}

const cases = instantCursor('desk.cases');

/** Opaque to clients: base64url of the list's name, openedAt ISO and caseId. */
export const encodeCursor = (c: CaseCursor): string => cases.encode({ at: c.openedAt, key: c.caseId });

/** The cursor a token stands for, or undefined when it is not one this service issued. */
export function decodeCursor(token: string): CaseCursor | undefined {
  const c = cases.decode(token);
  return c && { openedAt: c.at, caseId: c.key };
}
