import type { Principal } from '@gridcase/contracts';
import { describe, expect, it } from 'vitest';
import { inScope, redactions, scopeOf } from '../src/scope.ts';

const token = (p: Partial<Principal>): Principal => ({ clientId: 'c', name: 'n', roles: ['desk'], ...p });

describe('scopeOf', () => {
  it('leaves only an admin token without stations unlimited; a desk token without stations sees no station', () => {
    expect(scopeOf(token({}))).toEqual({ stations: [], redact: false });
    expect(scopeOf(token({ roles: ['supervisor', 'officer'] }))).toEqual({ stations: [], redact: false });
    expect(scopeOf(token({ roles: ['admin'] }))).toEqual({ redact: false });
    expect(scopeOf(token({ roles: ['desk', 'admin'] }))).toEqual({ redact: false });
  });

  it('limits a token with stations to them, an admin one too', () => {
    expect(scopeOf(token({ stations: ['CG'] }))).toEqual({ stations: ['CG'], redact: false });
    expect(scopeOf(token({ roles: ['admin'], stations: ['CG'] }))).toEqual({ stations: ['CG'], redact: false });
  });

  it('limits a community token to its grids and withholds; without grids it sees nothing', () => {
    expect(scopeOf(token({ roles: ['community'], grids: ['G1'] }))).toEqual({ grids: ['G1'], redact: true });
    expect(scopeOf(token({ roles: ['community'] }))).toEqual({ grids: [], redact: true });
  });

  it('does not limit a token that also holds a station role by grid, only by its stations', () => {
    expect(scopeOf(token({ roles: ['community', 'desk'], grids: ['G1'], stations: ['CG'] }))).toEqual({ stations: ['CG'], redact: false });
    expect(scopeOf(token({ roles: ['community', 'desk'], grids: ['G1'] }))).toEqual({ stations: [], redact: false });
  });
});

describe('inScope', () => {
  it('sees a place only in its stations and grids, and an unknown place only unlimited', () => {
    expect(inScope({ redact: false }, { station: null })).toBe(true);
    expect(inScope({ stations: ['CG'], redact: false }, { station: 'CG' })).toBe(true);
    expect(inScope({ stations: ['CG'], redact: false }, { station: 'XX' })).toBe(false);
    expect(inScope({ stations: ['CG'], redact: false }, { station: null })).toBe(false);
    expect(inScope({ stations: [], redact: false }, { station: 'CG' })).toBe(false);
    expect(inScope({ grids: ['G1'], redact: true }, { station: 'CG', gridCode: 'G1' })).toBe(true);
    expect(inScope({ grids: ['G1'], redact: true }, { station: 'CG', gridCode: 'G2' })).toBe(false);
    expect(inScope({ grids: [], redact: true }, { station: 'CG', gridCode: 'G1' })).toBe(false);
  });
});

describe('redactions', () => {
  it('withholds the reporter from community views, and the description of tips too', () => {
    expect(redactions({ redact: false }, 'tip.drugs')).toEqual([]);
    expect(redactions({ redact: true }, 'dispute.neighbour')).toEqual(['reporter']);
    expect(redactions({ redact: true }, 'tip.fraud')).toEqual(['description', 'reporter']);
  });
});
