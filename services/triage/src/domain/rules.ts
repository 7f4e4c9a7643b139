import type { RuleSet } from '@gridcase/contracts';

/**
 * Matching a rule's cues against a segmented report (the semantics are documented on `RuleSet` in
 * packages/contracts/src/rules.ts). Pure: words in, matches out.
 */

export interface Cues {
  any: readonly string[];
  all?: readonly string[] | undefined;
  not?: readonly string[] | undefined;
  /** Phrases that cancel the whole rule wherever they count in the report. */
  unless?: readonly string[] | undefined;
  /** `characters`: phrases match anywhere in a clause's characters, whatever the word boundaries. */
  match?: 'words' | 'characters' | undefined;
}

/** Where a phrase stands: clause, first word, one past the last word, its characters, and the words it touches. */
interface Span {
  clause: number;
  start: number;
  end: number;
  charStart: number;
  charEnd: number;
  /** The first word's characters before the match (a character match may begin inside a word). */
  lead: string;
  text: string;
}

export interface MatchContext {
  clauses: readonly (readonly string[])[];
  negations: ReadonlySet<string>;
  negationWindow: number;
  /** Where each phrase part stands, found once per report: rule families share parts (孩子…, …不见了). */
  readonly found?: Map<string, Map<number, Run[]>>;
  /** Each clause's characters and where its words begin in them. */
  readonly layout?: { text: string; starts: number[] }[];
  /** Every character and pair of characters of the clauses: a phrase part whose pairs are not all here stands nowhere. */
  readonly grams?: ReadonlySet<string>;
  /** A 512-bit filter of the clauses' UTF-16 code units (unitSeen): the quickest way to set a phrase aside. */
  readonly units?: Uint32Array;
  /** The rule lists whose phrases are looked up by the report's grams (phraseIndexOf) instead of one by one. */
  readonly indexes?: readonly PhraseIndex[];
  /** Each indexed rule's `any` phrases that may stand in this report, found once on first use. */
  standing?: Map<CompiledCues, Phrase[]>;
  /** What each rule matched in this report: classify and the learned model's features ask about the same rules. */
  readonly matched?: Map<Cues, string[] | undefined>;
}

/** A part's place in a clause: first word, one past the last word, first character, one past the last, and the first word's first character. */
interface Run {
  start: number;
  end: number;
  charStart: number;
  charEnd: number;
  wordCharStart: number;
}

export const DEFAULT_NEGATION_WINDOW = 3;

/**
 * The code-unit filter's size in 32-bit words: 64 bytes, small enough for V8 to keep the array on its
 * heap. A table of every code unit (64 KB a report, outside the heap) left triage's RSS tens of MB
 * higher after a few thousand reports. Units that share a bit only let a phrase through to the exact
 * check on `grams`, so the matches are the same.
 */
const UNIT_FILTER_WORDS = 16;

/** Whether the filter may hold the code unit; false means the clauses certainly do not. */
const unitSeen = (units: Uint32Array, unit: number): boolean => ((units[(unit >> 5) % UNIT_FILTER_WORDS] as number) & (1 << (unit & 31))) !== 0;

/**
 * The match context of a report's clauses. Given the document's rule lists, rules' phrases are found
 * through an index of the report's character pairs rather than tried one by one (the lists hold some
 * 12 000 phrases; a report, a few hundred pairs).
 */
export function matchContext(
  clauses: readonly (readonly string[])[],
  rules: Pick<RuleSet, 'negations' | 'negationWindow'> & Partial<Pick<RuleSet, 'classification' | 'grading'>>,
): MatchContext {
  const layout = clauses.map((words) => ({ text: words.join(''), starts: wordStarts(words) }));
  const grams = new Set<string>();
  const units = new Uint32Array(UNIT_FILTER_WORDS);
  for (const { text } of layout) {
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      const word = (unit >> 5) % UNIT_FILTER_WORDS;
      units[word] = (units[word] as number) | (1 << (unit & 31));
      grams.add(text[i] as string);
      if (i + 1 < text.length) grams.add(text.slice(i, i + 2));
    }
  }
  const indexes = [rules.classification, rules.grading].flatMap((list) => (list ? [phraseIndexOf(list)] : []));
  return {
    clauses,
    negations: new Set(rules.negations),
    negationWindow: rules.negationWindow ?? DEFAULT_NEGATION_WINDOW,
    found: new Map(),
    layout,
    grams,
    units,
    indexes,
    matched: new Map(),
  };
}

const normalise = (phrase: string): string => phrase.toLowerCase().replace(/\s+/gu, '');
const parsed = new Map<string, string[]>();
/** A phrase's parts, parsed once per process (rule families repeat thousands of phrases per report). */
function partsOf(phrase: string): string[] {
  let parts = parsed.get(phrase);
  if (!parts) {
    parts = normalise(phrase).split(/…|\.\.\./u).filter((p) => p.length > 0);
    // Bounded: documents edited many times must not grow it without end.
    if (parsed.size >= 100_000) parsed.clear();
    parsed.set(phrase, parts);
  }
  return parts;
}

/**
 * A phrase made ready for matching: its parts, and the characters or pairs each part must find in a
 * report (its first and last pair) before it is worth looking for. A rule document holds thousands
 * of phrases and a report a few dozen characters, so nearly every phrase is set aside by a lookup.
 */
interface Phrase {
  phrase: string;
  parts: string[];
  grams: string[];
}

function phraseOf(phrase: string): Phrase {
  const parts = partsOf(phrase);
  const grams = new Set<string>();
  for (const part of parts) {
    if (part.length < 2) grams.add(part);
    else grams.add(part.slice(0, 2)).add(part.slice(-2));
  }
  return { phrase, parts, grams: [...grams] };
}

/** Whether the report may hold every part of the phrase; false means it certainly does not. */
function mayStand(p: Phrase, ctx: MatchContext): boolean {
  const { grams, units } = ctx;
  if (!grams || !units) return true;
  for (const g of p.grams) {
    if (!unitSeen(units, g.charCodeAt(0)) || (g.length > 1 && !unitSeen(units, g.charCodeAt(1))) || !grams.has(g)) return false;
  }
  return true;
}

interface CompiledCues {
  any: readonly Phrase[];
  all: readonly Phrase[];
  not: readonly Phrase[];
  unless: readonly Phrase[];
  source: Pick<Cues, 'any' | 'all' | 'not' | 'unless'>;
}

const compiled = new WeakMap<Cues, CompiledCues>();
/** A rule's phrases, made ready once per rule object (a rule document's rules are read many times). */
function compile(cues: Cues): CompiledCues {
  const known = compiled.get(cues);
  if (known && known.source.any === cues.any && known.source.all === cues.all && known.source.not === cues.not && known.source.unless === cues.unless) return known;
  const made = {
    any: cues.any.map(phraseOf),
    all: (cues.all ?? []).map(phraseOf),
    not: (cues.not ?? []).map(phraseOf),
    unless: (cues.unless ?? []).map(phraseOf),
    source: { any: cues.any, all: cues.all, not: cues.not, unless: cues.unless },
  };
  compiled.set(cues, made);
  return made;
}

/** An `any` phrase of a rule, and its place in the rule's list (matched words keep the list's order). */
interface IndexedPhrase {
  rule: CompiledCues;
  phrase: Phrase;
  order: number;
}

/** A rule list's `any` phrases by their first gram: a phrase can stand only in a report that has that gram. */
interface PhraseIndex {
  rules: ReadonlySet<CompiledCues>;
  byGram: ReadonlyMap<string, readonly IndexedPhrase[]>;
  /** Phrases with no gram to look up (no parts): tried in every report. */
  everywhere: readonly IndexedPhrase[];
}

const phraseIndexes = new WeakMap<readonly Cues[], PhraseIndex>();
/** The index of a rule list, built once per list object (a rule document's lists are read for every report). */
function phraseIndexOf(list: readonly Cues[]): PhraseIndex {
  const known = phraseIndexes.get(list);
  if (known) return known;
  const rules = new Set<CompiledCues>();
  const byGram = new Map<string, IndexedPhrase[]>();
  const everywhere: IndexedPhrase[] = [];
  for (const cues of list) {
    const rule = compile(cues);
    rules.add(rule);
    rule.any.forEach((phrase, order) => {
      const key = phrase.grams[0];
      if (key === undefined) everywhere.push({ rule, phrase, order });
      else {
        const entries = byGram.get(key);
        if (entries) entries.push({ rule, phrase, order });
        else byGram.set(key, [{ rule, phrase, order }]);
      }
    });
  }
  const index = { rules, byGram, everywhere };
  phraseIndexes.set(list, index);
  return index;
}

/** Every indexed rule's `any` phrases that may stand in the report, in each rule's order. */
function standingPhrases(ctx: MatchContext): Map<CompiledCues, Phrase[]> {
  if (ctx.standing) return ctx.standing;
  const found = new Map<CompiledCues, IndexedPhrase[]>();
  const take = (entry: IndexedPhrase) => {
    if (!mayStand(entry.phrase, ctx)) return;
    const list = found.get(entry.rule);
    if (list) list.push(entry);
    else found.set(entry.rule, [entry]);
  };
  for (const index of ctx.indexes ?? []) {
    index.everywhere.forEach(take);
    for (const gram of ctx.grams ?? []) index.byGram.get(gram)?.forEach(take);
  }
  const standing = new Map([...found].map(([rule, entries]) => [rule, entries.sort((a, b) => a.order - b.order).map((e) => e.phrase)]));
  ctx.standing = standing;
  return standing;
}

/** A rule's `any` phrases that may stand in the report: from the index when the rule's list is indexed, else tried one by one. */
function anyCandidatesOf(rule: CompiledCues, ctx: MatchContext): readonly Phrase[] {
  if (ctx.grams && ctx.indexes?.some((index) => index.rules.has(rule))) return standingPhrases(ctx).get(rule) ?? [];
  return rule.any.filter((p) => mayStand(p, ctx));
}

/** Where each word of a clause begins in the clause's characters (one more entry: the clause's length). */
function wordStarts(words: readonly string[]): number[] {
  const starts = [0];
  for (const w of words) starts.push((starts[starts.length - 1] as number) + w.length);
  return starts;
}

/** The word a character offset falls in (binary search: a clause may be long). */
function wordAt(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length - 2;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((starts[mid] as number) <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** Runs of whole words whose letters spell `part` (火 is the word 火, never part of 火锅). */
function wordRuns(words: readonly string[], starts: readonly number[], part: string): Run[] {
  const runs: Run[] = [];
  for (let i = 0; i < words.length; i++) {
    let spelled = '';
    for (let j = i; j < words.length && spelled.length < part.length; j++) {
      spelled += words[j];
      if (spelled === part) runs.push({ start: i, end: j + 1, charStart: starts[i] as number, charEnd: starts[j + 1] as number, wordCharStart: starts[i] as number });
      if (!part.startsWith(spelled)) break;
    }
  }
  return runs;
}

/** Every place `part` stands in the clause's characters, word boundaries ignored (`match: "characters"`). */
function characterRuns(text: string, starts: readonly number[], part: string): Run[] {
  const runs: Run[] = [];
  for (let at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
    const charEnd = at + part.length;
    const start = wordAt(starts, at);
    runs.push({ start, end: wordAt(starts, charEnd - 1) + 1, charStart: at, charEnd, wordCharStart: starts[start] as number });
  }
  return runs;
}

/** The runs of a part by clause (only clauses it stands in), computed once per report and mode. */
function runsOf(part: string, match: Cues['match'], ctx: MatchContext): Map<number, Run[]> {
  const key = `${match === 'characters' ? 'c' : 'w'}:${part}`;
  const known = ctx.found?.get(key);
  if (known) return known;
  const runs = new Map<number, Run[]>();
  ctx.clauses.forEach((words, i) => {
    const { text, starts } = ctx.layout?.[i] ?? { text: words.join(''), starts: wordStarts(words) };
    if (!text.includes(part)) return;
    const found = match === 'characters' ? characterRuns(text, starts, part) : wordRuns(words, starts, part);
    if (found.length) runs.set(i, found);
  });
  ctx.found?.set(key, runs);
  return runs;
}

/**
 * Every place a phrase stands: on word boundaries (火 matches the word 火, not 火锅), or anywhere in the
 * characters with `match: "characters"`. Parts joined by `…` follow each other in one clause (the
 * earliest way they do).
 */
function spans(phrase: Phrase, match: Cues['match'], ctx: MatchContext): Span[] {
  if (!mayStand(phrase, ctx)) return [];
  const [first, ...rest] = phrase.parts;
  if (first === undefined) return [];
  const found: Span[] = [];
  const restRuns = rest.map((part) => runsOf(part, match, ctx));
  runsOf(first, match, ctx).forEach((runs, clause) => {
    if (restRuns.some((later) => !later.has(clause))) return;
    const words = ctx.clauses[clause] ?? [];
    for (const run of runs) {
      let last: Run | undefined = run;
      for (const later of restRuns) {
        const after: Run | undefined = last;
        // In word mode a later part starts at or after the word the previous part ended in; in characters, after its last character.
        last = after && (later.get(clause) ?? []).find((r) => (match === 'characters' ? r.charStart >= after.charEnd : r.start >= after.end));
      }
      if (!last) continue;
      const lead = (words[run.start] ?? '').slice(0, run.charStart - run.wordCharStart);
      found.push({ clause, start: run.start, end: last.end, charStart: run.charStart, charEnd: last.charEnd, lead, text: words.slice(run.start, last.end).join('') });
    }
  });
  return found;
}

const negated = (span: Span, ctx: MatchContext): boolean => {
  const words = ctx.clauses[span.clause] ?? [];
  if (span.lead && [...ctx.negations].some((n) => span.lead.endsWith(n))) return true;
  return words.slice(Math.max(0, span.start - ctx.negationWindow), span.start).some((w) => ctx.negations.has(w));
};

const overlaps = (a: Span, b: Span): boolean => a.clause === b.clause && a.charStart < b.charEnd && b.charStart < a.charEnd;

/** The words of `phrases` that count: not negated, not overlapping an exclusion. */
function counting(phrases: readonly Phrase[], exclusions: readonly Span[], ctx: MatchContext, match: Cues['match']): Map<string, string[]> {
  const hits = new Map<string, string[]>();
  for (const phrase of phrases) {
    const words = spans(phrase, match, ctx)
      .filter((s) => !negated(s, ctx) && !exclusions.some((x) => overlaps(s, x)))
      .map((s) => s.text);
    if (words.length) hits.set(phrase.phrase, words);
  }
  return hits;
}

/** The words a rule matched, or undefined when it does not match (asked again of the same report, the first answer). */
export function matchCues(cues: Cues, ctx: MatchContext): string[] | undefined {
  if (ctx.matched?.has(cues)) return ctx.matched.get(cues);
  const words = matchCuesOnce(cues, ctx);
  ctx.matched?.set(cues, words);
  return words;
}

function matchCuesOnce(cues: Cues, ctx: MatchContext): string[] | undefined {
  const phrases = compile(cues);
  // Most rules fail here, on lookups alone: no `any` phrase can stand in the report, or an `all` phrase cannot.
  const anyCandidates = anyCandidatesOf(phrases, ctx);
  if (anyCandidates.length === 0) return undefined;
  for (const p of phrases.all) if (!mayStand(p, ctx)) return undefined;
  const exclusions = phrases.not.flatMap((p) => spans(p, cues.match, ctx));
  const any = counting(anyCandidates, exclusions, ctx, cues.match);
  if (any.size === 0) return undefined;
  const all = counting(phrases.all, exclusions, ctx, cues.match);
  if (all.size < (cues.all?.length ?? 0)) return undefined;
  if (phrases.unless.length && counting(phrases.unless.filter((p) => mayStand(p, ctx)), [], ctx, cues.match).size > 0) return undefined;
  return [...new Set([...any.values(), ...all.values()].flat())];
}
