import type { ClientRole } from '@gridcase/contracts';

/** Who may send commands (admin may always). */
export const DESK_ROLES = ['desk', 'officer', 'supervisor'] as const satisfies readonly ClientRole[];

/** Who may read the desk: community staff too, limited to their grids (service-kit scope.ts). */
export const DESK_READERS = [...DESK_ROLES, 'community'] as const satisfies readonly ClientRole[];
