import type { RuleSet } from '@gridcase/contracts';

/**
 * Matching a rule's cues against a segmented report (the semantics are documented on `RuleSet` in
 * packages/contracts/src/rules.ts). Pure: words in, matches out.
 */

export interface Cues {
  any: readonly string[];
  all?: readonly string[] | undefined;
  not?: readonly string[] | undefined;
}

/** Where a phrase stands: clause, first word, one past the last word, and the text it matched. */
interface Span {
  clause: number;
  start: number;
  end: number;
  text: string;
}

export interface MatchContext {
  clauses: readonly (readonly string[])[];
  negations: ReadonlySet<string>;
  negationWindow: number;
}

export const DEFAULT_NEGATION_WINDOW = 3;

export function matchContext(clauses: readonly (readonly string[])[], rules: Pick<RuleSet, 'negations' | 'negationWindow'>): MatchContext {
  return { clauses, negations: new Set(rules.negations), negationWindow: rules.negationWindow ?? DEFAULT_NEGATION_WINDOW };
}

const normalise = (phrase: string): string => phrase.toLowerCase().replace(/\s+/gu, '');

/** Runs of whole words whose letters spell `part`, starting at or after word `from`. */
function wordRuns(words: readonly string[], part: string, from: number): [number, number][] {
  const runs: [number, number][] = [];
  for (let i = from; i < words.length; i++) {
    let spelled = '';
    for (let j = i; j < words.length && spelled.length < part.length; j++) {
      spelled += words[j];
      if (spelled === part) runs.push([i, j + 1]);
      if (!part.startsWith(spelled)) break;
    }
  }
  return runs;
}

/**
 * Every place a phrase stands in the text, on word boundaries: 火 matches the word 火, not 火锅.
 * Parts joined by `…` follow each other in one clause (the earliest way they do).
 */
function spans(phrase: string, clauses: readonly (readonly string[])[]): Span[] {
  const parts = normalise(phrase).split(/…|\.\.\./u).filter((p) => p.length > 0);
  const found: Span[] = [];
  clauses.forEach((words, clause) => {
    const [first, ...rest] = parts;
    if (first === undefined) return;
    for (const [start, firstEnd] of wordRuns(words, first, 0)) {
      let end: number | undefined = firstEnd;
      for (const part of rest) {
        end = end === undefined ? undefined : wordRuns(words, part, end)[0]?.[1];
      }
      if (end !== undefined) found.push({ clause, start, end, text: words.slice(start, end).join('') });
    }
  });
  return found;
}

const negated = (span: Span, ctx: MatchContext): boolean => {
  const words = ctx.clauses[span.clause] ?? [];
  return words.slice(Math.max(0, span.start - ctx.negationWindow), span.start).some((w) => ctx.negations.has(w));
};

const overlaps = (a: Span, b: Span): boolean => a.clause === b.clause && a.start < b.end && b.start < a.end;

/** The words of `phrases` that count: not negated, not overlapping an exclusion. */
function counting(phrases: readonly string[], exclusions: readonly Span[], ctx: MatchContext): Map<string, string[]> {
  const hits = new Map<string, string[]>();
  for (const phrase of phrases) {
    const words = spans(phrase, ctx.clauses)
      .filter((s) => !negated(s, ctx) && !exclusions.some((x) => overlaps(s, x)))
      .map((s) => s.text);
    if (words.length) hits.set(phrase, words);
  }
  return hits;
}

/** The words a rule matched, or undefined when it does not match. */
export function matchCues(cues: Cues, ctx: MatchContext): string[] | undefined {
  const exclusions = (cues.not ?? []).flatMap((p) => spans(p, ctx.clauses));
  const any = counting(cues.any, exclusions, ctx);
  if (any.size === 0) return undefined;
  const all = counting(cues.all ?? [], exclusions, ctx);
  if (all.size < (cues.all?.length ?? 0)) return undefined;
  return [...new Set([...any.values(), ...all.values()].flat())];
}
