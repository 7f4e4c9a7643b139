import { eventually } from '../poll.ts';

/**
 * Reporters' personal data follows patterns nothing else in a log or topic matches, so a scan can
 * find any leak of it: names `FaultPerson-xxxxxx`, phones `139-7777-NNNN`, ID numbers `990000` + 12 digits.
 */
export const PII_PATTERNS: Record<'name' | 'phone' | 'idNumber', RegExp> = {
  name: /FaultPerson-[a-z]{6}/g,
  phone: /139-7777-\d{4}/g,
  idNumber: /990000\d{12}/g,
};

const letters = (n: number) => Array.from({ length: 6 }, (_, i) => String.fromCharCode(97 + ((n >> (i * 4)) + i * 7) % 26)).join('');

/** Personal data for report number n, in the patterns above. */
export function personalData(n: number) {
  return {
    name: `FaultPerson-${letters(n)}`,
    phone: `139-7777-${String(n % 10_000).padStart(4, '0')}`,
    idNumber: `990000${String(n).padStart(12, '0')}`,
  };
}

export interface Reporter {
  clientId: string;
  token: string;
}

/** Every report the suite offered and what intake answered. */
export class Ledger {
  offered = 0;
  /** `clientId externalId` → reportId, for every report answered 202 or 200. */
  readonly accepted = new Map<string, string>();
  /** The same key answered with two different report ids (a double made at intake). */
  intakeDoubles = 0;
  fiveXX = 0;
  /** Answers by status ('network' when the connection failed), for the report. */
  readonly statuses = new Map<string, number>();
  /** Requests with no accepting answer, for a sender's retry. */
  readonly unanswered: { url: string; token: string; body: Record<string, unknown> }[] = [];

  record(status: number | 'network', key: string, reportId?: string) {
    this.statuses.set(String(status), (this.statuses.get(String(status)) ?? 0) + 1);
    if (typeof status === 'number' && status >= 500) this.fiveXX++;
    if ((status === 202 || status === 200) && reportId) {
      const before = this.accepted.get(key);
      if (before !== undefined && before !== reportId) this.intakeDoubles++;
      this.accepted.set(key, reportId);
    }
  }

  reportIds(): string[] {
    return [...new Set(this.accepted.values())];
  }
}

export interface LoadOptions {
  tag: string;
  ratePerSecond: number;
  reporters: Reporter[];
  gridCodes: string[];
  /** Intake base URLs the sender spreads its posts over, like a load balancer. */
  intakeUrls: () => string[];
  ledger: Ledger;
}

async function post(url: string, token: string, body: Record<string, unknown>) {
  const res = await fetch(`${url}/v1/reports`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  let reportId: string | undefined;
  try {
    reportId = JSON.parse(text).reportId;
  } catch {
    reportId = undefined;
  }
  return { status: res.status, reportId };
}

/**
 * Posts reports at a fixed rate (a steady stream) until stopped, from several reporter clients,
 * each report carrying personal data. In-flight posts are capped so a hung intake cannot pile up
 * sockets without bound; a tick that finds the cap reached skips its posts (counted in `skipped`).
 */
export function startLoad(opts: LoadOptions) {
  const { ledger } = opts;
  const inFlight = new Set<Promise<void>>();
  const startedAt = Date.now();
  let sent = 0;
  let skipped = 0;
  let stopped = false;

  const send = (n: number) => {
    const reporter = opts.reporters[n % opts.reporters.length]!;
    const urls = opts.intakeUrls();
    const url = urls[n % urls.length]!;
    const externalId = `${opts.tag}-${n}`;
    const body = {
      externalId,
      description: `${opts.tag} 第${n}号报告：${n % 3 ? '楼道堆放杂物，存在消防隐患' : '邻居装修噪音扰民'}（编号 ${n}）`,
      location: { gridCode: opts.gridCodes[n % opts.gridCodes.length]! },
      reporter: personalData(n),
    };
    const key = `${reporter.clientId} ${externalId}`;
    ledger.offered++;
    const p = post(url, reporter.token, body)
      .then(({ status, reportId }) => {
        ledger.record(status, key, reportId);
        if (status !== 202 && status !== 200) ledger.unanswered.push({ url, token: reporter.token, body });
      })
      .catch(() => {
        ledger.record('network', key);
        ledger.unanswered.push({ url, token: reporter.token, body });
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  };

  const timer = setInterval(() => {
    const due = Math.floor(((Date.now() - startedAt) / 1000) * opts.ratePerSecond);
    while (sent < due) {
      if (inFlight.size >= 400) skipped++;
      else send(sent);
      sent++;
    }
  }, 20);

  return {
    get skipped() {
      return skipped;
    },
    /** Waits (bounded) until `more` reports beyond now have been accepted: the stream flows. */
    flows: (more: number, what: string, timeoutMs = 90_000) => {
      const target = ledger.accepted.size + more;
      return eventually(`${more} more reports accepted ${what}`, () => (ledger.accepted.size >= target ? true : undefined), timeoutMs);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await Promise.all([...inFlight]);
    },
    /**
     * A sender retries what got no accepting answer once the platform is back: same body, same
     * externalId, so intake must answer 200 with the first report id if it had kept it.
     */
    async retryUnanswered(reporterOf: (token: string) => string) {
      const todo = ledger.unanswered.splice(0);
      const queue = [...todo];
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          for (let r = queue.shift(); r; r = queue.shift()) {
            const urls = opts.intakeUrls();
            const key = `${reporterOf(r.token)} ${r.body.externalId}`;
            try {
              const { status, reportId } = await post(urls[0]!, r.token, r.body);
              ledger.record(status, key, reportId);
            } catch {
              ledger.record('network', key);
            }
          }
        }),
      );
      return todo.length;
    },
  };
}
