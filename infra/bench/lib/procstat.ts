import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on Linux x86_64). */
const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) a process has used so far, or undefined when it is gone. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; the fields after its closing parenthesis are plain.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line, 12th and 13th after the name.
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Resident set size in MB, or undefined when the process is gone. */
export function rssMegabytes(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** A running process as /proc shows it; `environ` is read only when asked (it is the costly part). */
export interface ProcessInfo {
  pid: number;
  cmdline: string;
  environ(): string;
}

/** Picks a group's processes out of every process running. */
export type ProcessMatcher = (p: ProcessInfo) => boolean;

function processes(): ProcessInfo[] {
  const out: ProcessInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      out.push({
        pid: Number(entry),
        cmdline,
        environ: () => {
          try {
            return readFileSync(`/proc/${entry}/environ`, 'utf8');
          } catch {
            return '';
          }
        },
      });
    } catch {
      // Gone meanwhile.
    }
  }
  return out;
}

/** A node process running `script` whose environment holds `marker` (a stack's topic prefix, say). */
export const nodeRunning =
  (script: string, marker: string): ProcessMatcher =>
  (p) =>
    p.cmdline.includes(script) && p.environ().includes(marker);

/** The Postgres backends serving one database (their process title names it). */
export const postgresBackendsOf =
  (database: string): ProcessMatcher =>
  (p) =>
    p.cmdline.startsWith('postgres: ') && p.cmdline.includes(` ${database} `);

export interface Usage {
  /** CPU seconds used over the window, summed over the group's processes. */
  cpuSeconds: number;
  /** Cores busy on average over the window (1 = one core the whole time). */
  cores: number;
  /** The largest RSS of any one process of the group, sampled every second. */
  peakRssMb: number;
  processes: number;
}

interface Tracked {
  group: string;
  baseline: number;
  last: number;
}

/**
 * Measures named groups of processes over a window: CPU from /proc/<pid>/stat deltas, peak RSS
 * sampled every second. Processes are looked for at every sample, so a backend a pool opens or a
 * service restarted within the window counts from its start; one that exits keeps what it used up to
 * its last sample.
 */
export class UsageMeter {
  private readonly tracked = new Map<number, Tracked>();
  private readonly peaks = new Map<string, number>();
  private readonly startedAt = performance.now();
  private readonly timer: NodeJS.Timeout;
  private first = true;
  private readonly groups: Record<string, ProcessMatcher>;

  constructor(groups: Record<string, ProcessMatcher>) {
    this.groups = groups;
    for (const name of Object.keys(groups)) this.peaks.set(name, 0);
    this.sample();
    this.first = false;
    this.timer = setInterval(() => this.sample(), 1000);
  }

  private sample(): void {
    for (const p of processes()) {
      let t = this.tracked.get(p.pid);
      if (!t) {
        const group = Object.entries(this.groups).find(([, matches]) => matches(p))?.[0];
        if (!group) continue;
        // Present at the start: count from now; born within the window: count from its birth.
        const now = cpuSeconds(p.pid) ?? 0;
        t = { group, baseline: this.first ? now : 0, last: now };
        this.tracked.set(p.pid, t);
      }
      t.last = cpuSeconds(p.pid) ?? t.last;
      this.peaks.set(t.group, Math.max(this.peaks.get(t.group) ?? 0, rssMegabytes(p.pid) ?? 0));
    }
  }

  /** Ends the window. */
  stop(): Record<string, Usage> {
    clearInterval(this.timer);
    this.sample();
    const seconds = (performance.now() - this.startedAt) / 1000;
    const out: Record<string, Usage> = {};
    for (const name of Object.keys(this.groups)) out[name] = { cpuSeconds: 0, cores: 0, peakRssMb: this.peaks.get(name) ?? 0, processes: 0 };
    for (const t of this.tracked.values()) {
      const usage = out[t.group]!;
      usage.cpuSeconds += Math.max(0, t.last - t.baseline);
      usage.processes++;
    }
    for (const usage of Object.values(out)) usage.cores = usage.cpuSeconds / seconds;
    return out;
  }
}
