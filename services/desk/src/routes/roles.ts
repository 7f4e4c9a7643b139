import type { ClientRole } from '@gridcase/contracts';

/** Who may read the desk and send commands (admin may always). */
export const DESK_ROLES = ['desk', 'officer', 'supervisor'] as const satisfies readonly ClientRole[];
