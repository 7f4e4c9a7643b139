/** Where a page of the case list ends: lists run newest first by (openedAt, caseId). */
export interface CaseCursor {
  openedAt: Date;
  caseId: string;
}

/** Opaque to clients: base64url of [openedAt ISO, caseId]. */
export const encodeCursor = (c: CaseCursor): string =>
  Buffer.from(JSON.stringify([c.openedAt.toISOString(), c.caseId])).toString('base64url');

/** The cursor a token stands for, or undefined when it is not one this service issued. */
export function decodeCursor(token: string): CaseCursor | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || parsed.length !== 2) return undefined;
    const [at, caseId] = parsed as unknown[];
    if (typeof at !== 'string' || typeof caseId !== 'string' || caseId.length === 0) return undefined;
    const openedAt = new Date(at);
    if (Number.isNaN(openedAt.getTime()) || openedAt.toISOString() !== at) return undefined;
    return { openedAt, caseId };
  } catch {
    return undefined;
  }
}
