import type { ClientRole } from '@gridcase/contracts';

const TOKEN_KEY = 'gridcase.desk.token';
const LANG_KEY = 'gridcase.desk.lang';

/** Who a token says it is. Read from its payload without checking it: the server decides; this only picks what to show. */
export interface Me {
  clientId: string;
  name?: string;
  officerId?: string;
  roles: ClientRole[];
  stations?: string[];
}

/** A token's claims (`gc1.<base64url payload>.<signature>`); the admin token, which is not one, is admin. */
export function whoIs(token: string): Me {
  const [version, payload] = token.split('.');
  if (version !== 'gc1' || !payload) return { clientId: 'admin', name: 'admin', roles: ['admin'] };
  try {
    const bytes = Uint8Array.from(atob(payload.replace(/-/g, '+').replace(/_/g, '/')), (ch) => ch.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes)) as Partial<Me>;
    return {
      clientId: String(claims.clientId ?? '?'),
      ...(claims.name ? { name: claims.name } : {}),
      ...(claims.officerId ? { officerId: claims.officerId } : {}),
      roles: Array.isArray(claims.roles) ? claims.roles : [],
      ...(claims.stations ? { stations: claims.stations } : {}),
    };
  } catch {
    return { clientId: '?', roles: [] };
  }
}

/** The token lives in sessionStorage: gone with the tab, never shared with other tabs or kept on disk. */
export const savedToken = () => sessionStorage.getItem(TOKEN_KEY) ?? '';
export const saveToken = (token: string) => (token ? sessionStorage.setItem(TOKEN_KEY, token) : sessionStorage.removeItem(TOKEN_KEY));

export const savedLang = (): 'zh' | 'en' => (localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'zh');
export const saveLang = (lang: 'zh' | 'en') => localStorage.setItem(LANG_KEY, lang);
