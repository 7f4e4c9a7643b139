import { decodeInstantCursor, encodeInstantCursor } from '@gridcase/contracts';

/** Where a page of the case list ends: lists run newest first by (openedAt, caseId). */
export interface CaseCursor {
  openedAt: Date;
  caseId: string;
}

/** Opaque to clients: base64url of [openedAt ISO, caseId]. */
export const encodeCursor = (c: CaseCursor): string => encodeInstantCursor({ at: c.openedAt, key: c.caseId });

/** The cursor a token stands for, or undefined when it is not one this service issued. */
export function decodeCursor(token: string): CaseCursor | undefined {
  const c = decodeInstantCursor(token);
  return c && { openedAt: c.at, caseId: c.key };
}
