import { type Lang, t, word } from './i18n.ts';
import { formatTime } from './time.ts';

/** One field a refusal names, as problem+json `errors[]` gives it (`officerIds.0`, and why in English). */
export interface FieldProblem {
  path: string;
  message: string;
}

/**
 * The reasons the case of record and the desk give for a field, said in Chinese. The server writes them
 * in English (services/assignment/src/domain/case.ts, packages/contracts); a reason not listed here is
 * shown as the server wrote it, never hidden.
 */
const ZH: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^no officer of the station has this id$/, () => '本所名册中没有此人'],
  [/^a grid worker may be assigned only a case of their own community grid/, () => '网格员只能承办本人所在社区网格的案件，此案件不在其网格内'],
  [/^a grid worker is never assigned a tip\.\* case$/, () => '网格员不承办线索类案件'],
  [/^this person is on leave until (\S+) and cannot take a case now$/, (m) => `此人休假至 ${formatTime(m[1])}，现在不能承办案件`],
  [/^a red or orange case needs a police officer among its owners/, () => '红色、橙色案件须至少有一名民警（警格员、警长或领导）承办'],
  // The contracts' HOLD_UNTIL_NOT_AFTER_NOW and EXTENSION_UNTIL_NOT_AFTER_NOW (a unit test holds them equal; the
  // contracts' values are kept out of the bundle).
  [/^until must be later than now, when the hold begins$/, () => '恢复时间须晚于现在'],
  [/^until must be later than now, when the extension is asked for$/, () => '延期时间须晚于现在'],
];

/** A server's reason in the page's language: translated where the page knows it, else the server's own words. */
export function reasonText(lang: Lang, message: string): string {
  if (lang !== 'zh') return message;
  for (const [pattern, say] of ZH) {
    const m = pattern.exec(message.trim());
    if (m) return say(m);
  }
  return message;
}

/**
 * An answer that says the desk, or a service it reads, is away for a moment (not that the request was
 * wrong), in the page's words: the server's detail (English, naming internal addresses) is for the hover,
 * not the line a desk officer reads during an outage (audit20 #4). `retrying`: the page loads it again by
 * itself (a read; a command or a sign-in is left to the person). Undefined for any other status.
 */
export function outageText(lang: Lang, status: number, retrying: boolean): string | undefined {
  const kind = status === 429 ? 'busy' : status === 502 || status === 503 || status === 504 ? 'unavailable' : status >= 500 ? 'server' : undefined;
  if (!kind) return undefined;
  return t(lang, retrying ? `error.${kind}Retrying` : `error.${kind}`);
}

/** What a failed read says where its data would be: no network, an outage, or the server's own words. */
export function problemText(lang: Lang, error: { status: number; message: string }): string {
  if (error.status === 0 && error.message === 'network') return t(lang, 'error.network');
  return outageText(lang, error.status, true) ?? t(lang, 'error.generic', { e: error.message });
}

/**
 * What the form says of a refusal, visibly (not only on hover): why by its HTTP status in the page's
 * words, then each field it names with the server's reason (`填写的内容有误：改派给 小李：网格员只能承办…`),
 * or the server's detail when it names no field; an outage (429, 5xx) in the page's words alone (the
 * form gives the server's account on hover). `fieldWord` names a field of the form (undefined: its path).
 */
export function refusalText(
  lang: Lang,
  refusal: { status: number; problems: readonly FieldProblem[]; detail?: string | undefined },
  fieldWord: (lang: Lang, path: string) => string | undefined,
): string {
  if (refusal.status === 0) return t(lang, 'error.network');
  const outage = outageText(lang, refusal.status, false);
  if (outage) return outage;
  const code = String(refusal.status);
  const known = word(lang, 'refusal', code);
  const why = known === code ? `${t(lang, 'error.server')}（${code}）` : known;
  const [colon, sep] = lang === 'zh' ? ['：', '；'] : [': ', '; '];
  const named = [...new Set(refusal.problems.map((p) => `${fieldWord(lang, p.path) ?? p.path}${colon}${reasonText(lang, p.message)}`))];
  if (named.length) return `${why}${colon}${named.join(sep)}`;
  return refusal.detail ? `${why}${colon}${reasonText(lang, refusal.detail)}` : why;
}
