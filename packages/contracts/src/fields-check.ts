import { z } from 'zod';
import { looksLikeFieldName } from './text.ts';

// Cross-field checks that run beside a schema's other problems (CONTRACT.md: a 400 names every bad field).

type FieldsCheck<T> = (values: T, ctx: z.RefinementCtx) => void | Promise<void>;

/** Runs `check` on what `view` parses of `value`; silent when the view does not parse (the schema names why). */
const checkView = (view: z.ZodType, check: FieldsCheck<never>) => (value: unknown, ctx: z.RefinementCtx) => {
  const parsed = view.safeParse(value);
  return parsed.success ? check(parsed.data as never, ctx) : undefined;
};

/**
 * A check alone, as a schema: whenever `view` parses the input, `check` gets what it parsed and adds
 * issues to `ctx` with the input's paths; otherwise it adds none. Its value is `{}`, so beside a schema
 * (withFieldsCheck) it contributes issues only; also for a check across a request's parts (a body
 * judged by a path parameter), which no one part's schema can make.
 */
export const fieldsCheck = <V extends z.ZodType>(view: V, check: FieldsCheck<z.output<V>>) =>
  z
    .unknown()
    .superRefine(checkView(view, check as FieldsCheck<never>))
    // A check, not a transform: a response schema with this in it can still be encoded.
    .overwrite(() => ({}));

/**
 * `schema` with a check across some of its fields that runs whenever those fields parse, whatever else
 * is wrong: zod skips an object's own refinements once any field fails (a number sent as text, a list
 * too long), so a client would learn of this problem only after fixing the others. The fields are
 * named by key, or by a `view`: a schema of just what the check reads (the codes of a list's entries,
 * not the whole entries), so a wrong sibling inside an entry does not stop it either. `check` adds
 * issues to `ctx` with the schema's paths; it may be async (then parse with safeParseAsync).
 */
export function withFieldsCheck<S extends z.ZodObject, K extends keyof z.infer<S> & string>(
  schema: S,
  fields: readonly K[],
  check: FieldsCheck<Pick<z.infer<S>, K>>,
): z.ZodIntersection<S, ReturnType<typeof fieldsCheck>>;
export function withFieldsCheck<S extends z.ZodType, V extends z.ZodType>(schema: S, view: V, check: FieldsCheck<z.output<V>>): z.ZodIntersection<S, ReturnType<typeof fieldsCheck>>;
export function withFieldsCheck(schema: z.ZodType, fields: readonly string[] | z.ZodType, check: FieldsCheck<never>) {
  const view = Array.isArray(fields) ? viewOf(schema as z.ZodObject, fields) : (fields as z.ZodType);
  const owned = ownedKeys(schema);
  // An intersection reports an unknown key only when both sides refuse it: the check's side refuses
  // what a strict schema does, or the strict object would take any key.
  const checked = z.unknown().superRefine(checkView(view, check));
  return z.intersection(schema, (owned ? checked.superRefine(refuseKeysOutside(owned)) : checked).overwrite(() => ({})));
}

/** Whether `schema` refuses a key it does not know: a strict object, alone or inside withFieldsCheck. */
export const refusesUnknownKeys = (schema: z.ZodType): boolean => ownedKeys(schema) !== undefined;

/** The object schema beneath withFieldsCheck's intersections (its left side), or `schema` itself when it is an object. */
export function objectSchemaOf(schema: z.ZodType): z.ZodObject | undefined {
  if (schema instanceof z.ZodIntersection) return objectSchemaOf(schema.def.left as z.ZodType);
  return schema instanceof z.ZodObject ? schema : undefined;
}

/** The keys a strict object owns, seen through withFieldsCheck's intersections; undefined when any key is taken. */
function ownedKeys(schema: z.ZodType): Set<string> | undefined {
  const object = objectSchemaOf(schema);
  return object?.def.catchall?._zod.def.type === 'never' ? new Set(Object.keys(object.shape)) : undefined;
}

/** What a copy of a refused value (the DLQ's) holds instead of a field the schema does not know. */
export const WITHHELD_UNKNOWN_FIELD = '(withheld: unknown field)';
/** …and instead of an object or list where the schema takes neither: whatever is in it, the schema gives it no meaning. */
export const WITHHELD_UNEXPECTED_VALUE = '(withheld: an object or list where none belongs)';

/** How many levels a copy of a refused value (the DLQ's) nests at most; a report body has 3. */
export const MAX_COPIED_DEPTH = 64;
/** …and what it holds instead of an object or list nested deeper than that. */
export const WITHHELD_TOO_DEEP = `(withheld: nested deeper than ${MAX_COPIED_DEPTH} levels)`;

/**
 * `value` with every object or list nested deeper than MAX_COPIED_DEPTH levels (`value` itself is the first)
 * replaced by WITHHELD_TOO_DEEP; `value` itself, not a copy, when nothing nests that deep, so `!==` tells
 * whether anything was cut. JSON.parse reads a value nested 50 000 deep (a 100 kB record of `[[[…]]]`), but
 * JSON.stringify, structuredClone and every walker recursing through it throw RangeError (the call stack);
 * what this returns they take. It recurses at most MAX_COPIED_DEPTH calls deep itself. `value` is not changed.
 */
export function withinCopiedDepth(value: unknown): unknown {
  return cutBelow(value, MAX_COPIED_DEPTH);
}

function cutBelow(value: unknown, levels: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (levels === 0) return WITHHELD_TOO_DEEP;
  let cut = false;
  const within = (item: unknown) => {
    const kept = cutBelow(item, levels - 1);
    if (kept !== item) cut = true;
    return kept;
  };
  if (Array.isArray(value)) {
    const items = value.map(within);
    return cut ? items : value;
  }
  // Own enumerable keys, as JSON.parse makes them (`__proto__` too: fromEntries defines it as a field).
  const fields = Object.entries(value).map(([key, field]) => [key, within(field)] as const);
  return cut ? Object.fromEntries(fields) : value;
}

/** The object or array schema `schema` reads a value with, seen through optional, nullable, default, transforms and withFieldsCheck. */
function containerOf(schema: z.ZodType): z.ZodObject | z.ZodArray | undefined {
  const def = schema.def as { type: string; innerType?: z.ZodType; in?: z.ZodType; left?: z.ZodType };
  if (schema instanceof z.ZodObject || schema instanceof z.ZodArray) return schema;
  const inner = def.innerType ?? def.in ?? def.left;
  return inner ? containerOf(inner) : undefined;
}
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `value` with what `schema` gives no meaning withheld, for a copy of a refused value that must hold no personal
 * data although nothing says where it is: a key an object of the schema does not own keeps its name when an
 * error would name it (looksLikeFieldName), its value replaced by WITHHELD_UNKNOWN_FIELD, and is left out
 * otherwise (the key itself may be the text); an object or list where the schema takes none, or the other of
 * the two, is WITHHELD_UNEXPECTED_VALUE. Known fields are kept as sent, for the caller to mask; `withheld`
 * hears each value taken out. `value` is not changed. It walks no deeper than the schema's own objects and lists
 * (whatever nests below them is withheld whole), so a value nested thousands deep costs it no stack.
 */
export function withholdUnknownFields(schema: z.ZodType, value: unknown, withheld?: (taken: unknown) => void): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const container = containerOf(schema);
  if (container instanceof z.ZodArray && Array.isArray(value)) return value.map((item) => withholdUnknownFields(container.element as z.ZodType, item, withheld));
  if (container instanceof z.ZodObject && isPlainObject(value)) {
    const shape = container.shape as Record<string, z.ZodType>;
    const kept: [string, unknown][] = [];
    for (const [key, field] of Object.entries(value)) {
      if (Object.hasOwn(shape, key)) kept.push([key, withholdUnknownFields(shape[key] as z.ZodType, field, withheld)]);
      else {
        withheld?.(field);
        if (looksLikeFieldName(key)) kept.push([key, WITHHELD_UNKNOWN_FIELD]);
      }
    }
    return Object.fromEntries(kept);
  }
  // A known field holding an object or list it does not take (text or a number in its place is kept, for the caller to mask).
  withheld?.(value);
  return WITHHELD_UNEXPECTED_VALUE;
}

/**
 * How many unknown keys of one object are named. zod reconciles an intersection's unknown keys in time
 * that grows with the product of both sides' lists, so naming all 80 000 keys of a 1 MB body held a
 * service's event loop for 10 s (audit17 #1); a 400 lists at most 100 problems anyway.
 */
export const MAX_UNKNOWN_KEYS_NAMED = 100;

const refuseKeysOutside = (owned: Set<string>) => (value: unknown, ctx: z.RefinementCtx) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
  const keys = Object.keys(value).filter((key) => !owned.has(key));
  if (!keys.length) return;
  ctx.addIssue({ code: 'unrecognized_keys', keys: keys.slice(0, MAX_UNKNOWN_KEYS_NAMED), input: value as Record<string, unknown> });
  const more = keys.length - MAX_UNKNOWN_KEYS_NAMED;
  if (more > 0) ctx.addIssue({ code: 'custom', message: `${more} more unknown field${more > 1 ? 's' : ''}, not named`, input: value });
};

/** Fields named by key, read as the schema reads them, in a plain object: other keys do not stop the check. */
const viewOf = (schema: z.ZodObject, fields: readonly string[]) => z.object(Object.fromEntries(fields.map((f) => [f, schema.shape[f] as z.ZodType])));
