import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { fieldIssues, Location, NO_POLICE_GRID, ReferenceData, RuleSet, Shift, SlaPolicyBody } from '../src/index.ts';

// A client that sends a field of the wrong type and a cross-field problem learns of both at once:
// each cross-field check runs whenever the fields it reads parse, whatever else is wrong.
const paths = (schema: z.ZodType, input: unknown) => {
  const parsed = schema.safeParse(input);
  return parsed.success ? [] : fieldIssues(parsed.error).map((e) => e.path);
};

const rules = {
  categories: [
    { code: 'dispute.general', kind: 'dispute', name: { zh: '纠纷', en: 'Dispute' }, defaultSeverity: 'yellow' },
    { code: 'hazard.fire', kind: 'hazard', name: { zh: '火', en: 'Fire' }, defaultSeverity: 'red' },
  ],
  dictionary: [],
  negations: [],
  classification: [
    { id: 'fire', category: 'hazard.fire', priority: 10, any: ['着火'] },
    { id: 'quarrel', category: 'dispute.general', priority: 1, any: ['吵架'] },
  ],
  grading: [{ id: 'hurt', grade: 'red', any: ['受伤'], categories: ['dispute.general'] }],
};

const ring = [
  [101.9, 38.2],
  [101.91, 38.2],
  [101.91, 38.21],
  [101.9, 38.2],
];
const station = {
  station: { code: 'S1', name: '派出所' },
  policeGrids: [{ code: 'PG-1', name: '警格一', stationCode: 'S1' }],
  grids: [{ code: 'CG-1', name: '网格一', policeGridCode: 'PG-1', community: { code: 'C1', name: '社区' }, geometry: { type: 'Polygon', coordinates: [ring] } }],
  officers: [
    { officerId: 'o-1', name: '民警', role: 'officer', policeGridCode: 'PG-1' },
    { officerId: 'w-1', name: '网格员', role: 'gridWorker', gridCode: 'CG-1' },
    { officerId: 'd-1', name: '值班长', role: 'deskLeader' },
  ],
};

describe('cross-field checks beside type errors', () => {
  it('the sound documents parse', () => {
    expect(paths(RuleSet, rules)).toEqual([]);
    expect(paths(ReferenceData, station)).toEqual([]);
  });

  it('rules: an unknown category and a duplicate rule id beside a rule whose priority is not a number', () => {
    const doc = {
      ...rules,
      classification: [
        { ...rules.classification[0], priority: 'high' },
        { id: 'quarrel', category: 'dispute.nosuch', priority: 1, any: ['吵架'] },
        { id: 'quarrel', category: 'dispute.general', priority: 1, any: ['争吵'] },
      ],
    };
    expect(paths(RuleSet, doc).sort()).toEqual(['classification.0.priority', 'classification.1.category', 'classification.2.id']);
  });

  it('rules: an unknown category is not claimed while a category code itself is wrong', () => {
    const doc = { ...rules, categories: [rules.categories[0], { ...rules.categories[1], code: 7 }] };
    expect(paths(RuleSet, doc)).toEqual(['categories.1.code']);
  });

  it('reference data: cross-references beside a type error elsewhere in the document', () => {
    const doc = {
      ...station,
      grids: [{ ...station.grids[0], policeGridCode: 'PG-9' }],
      officers: [{ ...station.officers[0], onDuty: 'yes' }, ...station.officers.slice(1)],
      rosters: [{ officerId: 'nobody', onCall: 'no' }],
    };
    expect(paths(ReferenceData, doc).sort()).toEqual(['grids.0.policeGridCode', 'officers.0.onDuty', 'rosters.0.officerId', 'rosters.0.onCall']);
  });

  it('reference data: an unknown police grid of an officer beside an unknown role of another (audit 5 #11)', () => {
    const doc = {
      ...station,
      officers: [{ ...station.officers[0], role: 'boss' }, ...station.officers.slice(1), { officerId: 'o-9', name: '民警九', role: 'officer', policeGridCode: 'PG-99' }],
    };
    expect(paths(ReferenceData, doc).sort()).toEqual(['officers.0.role', 'officers.3.policeGridCode']);
  });

  it('SLA policy: exactly one of a pair beside a budget of the wrong type', () => {
    expect(paths(SlaPolicyBody, { respondMinutes: 'soon', resolveMinutes: 60, resolveWorkingDays: 2 })).toEqual(['respondMinutes', 'resolveMinutes']);
    expect(paths(SlaPolicyBody, { respondMinutes: 'soon' })).toEqual(['respondMinutes', 'resolveMinutes']);
  });

  it('shift: equal start and end beside days of the wrong type', () => {
    expect(paths(Shift, { name: 'night', days: 'weekdays', start: '08:00', end: '08:00' })).toEqual(['days', 'end']);
  });

  it('location: lat without lng beside an address of the wrong type', () => {
    expect(paths(Location, { lat: 30, address: 7 })).toEqual(['address', 'lng']);
  });
});

describe('reference data: the police grid code reserved for the desk filter', () => {
  it('refuses a police grid coded `none`, the word GET /v1/cases?policeGrid= takes for "no police grid"', () => {
    const doc = { ...station, policeGrids: [{ ...station.policeGrids[0], code: NO_POLICE_GRID }] };
    const parsed = ReferenceData.safeParse(doc);
    expect(fieldIssues(parsed.error!)).toContainEqual({ path: 'policeGrids.0.code', message: expect.stringContaining('reserved') });
    // Only that exact word: other spellings are ordinary codes.
    expect(paths(ReferenceData, { ...station, policeGrids: [{ ...station.policeGrids[0], code: 'NONE' }], grids: [{ ...station.grids[0], policeGridCode: 'NONE' }], officers: station.officers.slice(1) })).toEqual([]);
  });
});
