import type { Officer } from '@gridcase/contracts';
import { describe, expect, it } from 'vitest';
import { budgetFor, DEFAULT_LADDER, ladderCandidates, ladderStep, roleForLevel } from '../src/domain/ladder.ts';

const roster: Officer[] = [
  { officerId: 'lead-1', name: '甲', role: 'lead', policeGridCode: 'P-1', onDuty: true },
  { officerId: 'lead-2', name: '乙', role: 'lead', policeGridCode: 'P-2', onDuty: true },
  { officerId: 'desk', name: '丙', role: 'deskLeader', onDuty: true },
  { officerId: 'deputy', name: '孙杰中', role: 'deputyChief', onDuty: true },
  { officerId: 'chief', name: '丁', role: 'chief', onDuty: true },
];
const owner = (level: number, policeGridCode?: string, officers = roster) => ladderStep(level, { policeGridCode }, officers).assignees.map((a) => a.officerId);

describe('the escalation ladder', () => {
  it('climbs lead → desk leader → deputy chief → chief, and stays at the top', () => {
    expect(owner(1, 'P-2')).toEqual(['lead-2']);
    expect(owner(2, 'P-2')).toEqual(['desk']);
    expect(owner(3, 'P-2')).toEqual(['deputy']);
    expect(owner(4, 'P-2')).toEqual(['chief']);
    expect(owner(9, 'P-2')).toEqual(['chief']);
  });

  it('names as candidates the people of every rung the level may climb, so each person a step shows has their open cases read', () => {
    expect(ladderCandidates(1, { policeGridCode: 'P-2' }, roster)).toEqual(['lead-2', 'desk', 'deputy', 'chief']);
    expect(ladderCandidates(3, { policeGridCode: 'P-2' }, roster)).toEqual(['deputy', 'chief']);
    expect(ladderCandidates(1, {}, roster)).toEqual(['desk', 'deputy', 'chief']);
    const withoutLeadOrDesk = roster.filter((o) => o.officerId !== 'lead-1' && o.role !== 'deskLeader');
    for (const level of [1, 2, 3, 4, 5]) {
      for (const policeGridCode of ['P-1', 'P-2', undefined]) {
        for (const officers of [roster, withoutLeadOrDesk]) {
          const shown = ladderStep(level, { policeGridCode }, officers).decision.posts.flatMap((p) => p.candidates.map((c) => c.officerId));
          expect(ladderCandidates(level, { policeGridCode }, officers)).toEqual(expect.arrayContaining(shown));
        }
      }
    }
  });

  it('starts an unroutable case (no police grid) from the desk leader', () => {
    expect(owner(1)).toEqual(['desk']);
    expect(owner(2)).toEqual(['deputy']);
    expect(owner(3)).toEqual(['chief']);
    expect(owner(7)).toEqual(['chief']);
  });

  it('passes a rung nobody fills to the next one up, and says which it skipped', () => {
    const step = ladderStep(1, { policeGridCode: 'P-3' }, roster);
    expect(step).toMatchObject({ role: 'lead', skipped: ['lead'] });
    expect(step.assignees.map((a) => a.officerId)).toEqual(['desk']);
  });

  it('finds nobody when the roster has nobody at or above the rung', () => {
    expect(ladderStep(4, { policeGridCode: 'P-1' }, roster.filter((o) => o.role !== 'chief'))).toMatchObject({ assignees: [], skipped: ['chief'] });
  });

  it('with duty by the rosters and someone on duty required, passes a rung with nobody on duty (routing a red case)', () => {
    const status = { 'lead-2': 'off-duty', desk: 'on-leave' } as const;
    const duty = { statusOf: (o: Officer) => status[o.officerId as keyof typeof status] ?? ('on-duty' as const), onDutyOnly: true };
    const step = ladderStep(1, { policeGridCode: 'P-2' }, roster, null, new Map(), duty);
    expect(step.assignees.map((a) => a.officerId)).toEqual(['deputy']);
    expect(step.skipped).toEqual(['lead', 'deskLeader']);
    expect(step.decision.posts.map((p) => [p.post, p.chosen, p.filledBy, p.candidates.map((c) => c.passedOver)])).toEqual([
      ['lead', null, 'none', ['off-duty']],
      ['deskLeader', null, 'none', ['on-leave']],
      ['deputyChief', 'deputy', 'on-duty', [undefined]],
    ]);
    expect(step.decision.fallback).toBe('lead: nobody on duty; deskLeader: on leave; passed up to deputyChief');
    // Escalation's way (the onDuty flag, anyone on the rung) takes the off-duty lead.
    const offFlag = roster.map((o) => (o.officerId === 'lead-2' ? { ...o, onDuty: false } : o));
    expect(ladderStep(1, { policeGridCode: 'P-2' }, offFlag).decision.posts).toEqual([
      { post: 'lead', chosen: 'lead-2', filledBy: 'off-duty-owner', candidates: [{ officerId: 'lead-2', role: 'lead', openCases: 0 }] },
    ]);
  });
});

describe('the ladder budgets', () => {
  it('gives each level its row, repeats the top past it, and falls back to the defaults', () => {
    const ladder = [{ level: 1, respondMinutes: 10, resolveMinutes: 20 }, { level: 3, respondMinutes: 30, resolveMinutes: 60 }];
    expect(budgetFor(ladder, 1)).toEqual({ level: 1, respondMinutes: 10, resolveMinutes: 20 });
    expect(budgetFor(ladder, 2)).toEqual({ level: 2, respondMinutes: 10, resolveMinutes: 20 });
    expect(budgetFor(ladder, 9)).toEqual({ level: 9, respondMinutes: 30, resolveMinutes: 60 });
    expect(budgetFor([], 2)).toEqual(DEFAULT_LADDER[1]);
    expect([1, 2, 3, 4, 5].map(roleForLevel)).toEqual(['lead', 'deskLeader', 'deputyChief', 'chief', 'chief']);
  });
});
