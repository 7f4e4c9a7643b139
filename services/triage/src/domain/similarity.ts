/**
 * Words that say nothing about what the trouble is: particles, pronouns, filler and politeness
 * (了, 的, 我们, 麻烦, 请…). Dropped before comparing two reports.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  ...'的 地 得 了 着 过 是 在 有 和 与 及 或 就 都 也 还 很 太 又 再 才 更 最 被 把 给 让 向 从 对 跟 吗 呢 吧 啊 呀 哦 嗯 么 啦 这 那 哪 个 些 我 你 他 她 它 您 咱 们 一 不 没 上 下 里 中 到 去 来 说 要 会 能 可 请 快 已 经 将 等 之 其 此 而 但 因 为 所 以 如 若 则 即'.split(' '),
  ...'我们 你们 他们 她们 咱们 大家 这个 那个 这里 那里 这边 那边 这些 那些 一个 一些 一下 一直 已经 现在 刚才 今天 昨天 今晚 昨晚 晚上 白天 早上 上午 下午 中午 时候 的时候 还是 还有 而且 并且 但是 可是 因为 所以 如果 就是 也是 不是 没有 什么 怎么 为什么 有人 有个 这样 那样 非常 特别 实在 真的 一样 好像 感觉 觉得 希望 麻烦 请问 谢谢 帮忙 帮助 尽快 赶紧 处理 解决 反映 投诉 举报 报告 情况 问题 事情 看看 一下子 了解'.split(' '),
]);

/** The distinct words of a segmented text that can tell one trouble from another: no stop words, no punctuation. */
export function contentWords(words: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const raw of words) {
    const w = raw.normalize('NFKC').trim().toLowerCase();
    if (!w || /^[\p{P}\p{S}\s]+$/u.test(w) || STOP_WORDS.has(w)) continue;
    out.add(w);
  }
  return out;
}

/**
 * What two reports are compared on: their content words, and (marked #) the characters of those
 * words. A rewording keeps the characters when it changes the words (坏了/坏掉了, 吵架/争吵,
 * 高额回报/高回报), which whole words alone miss; eval/duplicates.ts shows both. Numbers (3号楼, 302)
 * stay whole words only: within one grid they tell buildings apart, digit by digit they would not.
 */
export function wordFeatures(words: ReadonlySet<string>): Set<string> {
  const out = new Set(words);
  for (const w of words) if (!/\d/u.test(w)) for (const c of w) if (!STOP_WORDS.has(c)) out.add(`#${c}`);
  return out;
}

function sharedCount(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  return shared;
}

/** |A ∩ B| / |A ∪ B| over two sets of words; 0 when both are empty. */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  const shared = sharedCount(a, b);
  return shared / (a.size + b.size - shared);
}

/** |A ∩ B| / min(|A|, |B|): a short report that is all inside a long one scores 1. */
export function overlap(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  const shared = sharedCount(a, b);
  return shared / Math.min(a.size, b.size);
}

/** Cosine of two sets taken as 0/1 vectors: |A ∩ B| / √(|A|·|B|). */
export function cosine(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  const shared = sharedCount(a, b);
  return shared / Math.sqrt(a.size * b.size);
}
