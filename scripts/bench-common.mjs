// Helpers shared by scripts/bench.mjs and scripts/bench-families.mjs: number formatting, medians,
// how much CPU other processes take meanwhile (the machine is shared), waiting for quiet, the
// checks that make a run fail, the summary table, running lnav headless, and the Chromium
// processes of a run with their RSS, and the workers of a page over CDP (heap, CPU profiles).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const MB = 1e6;
export const LNAV = '/usr/bin/lnav';
export const GOACCESS = '/usr/bin/goaccess';
/** util-linux's taskset: pins a process (and all its threads) to one CPU. */
export const TASKSET = '/usr/bin/taskset';

export const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : String(n));
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
export const stats = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs), runs: xs });

/** `--name=N` from argv, or `fallback` (negative or unreadable values give the fallback). */
export function numberArg(argv, name, fallback) {
  const arg = argv.find((a) => a.startsWith(`--${name}=`));
  if (arg === undefined) return fallback;
  const value = Number(arg.slice(name.length + 3));
  return Number.isFinite(value) && value >= 0 ? value : fallback;
}

/** Busy CPU time of the whole machine, in clock ticks (/proc/stat: all but idle and iowait). */
export function machineBusyTicks() {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
  return total - fields[3] - fields[4];
}

/** utime + stime (+ cutime + cstime when `children`) of a process, in clock ticks. */
export function processTicks(pid, children = false) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
    return f[11] + f[12] + (children ? f[13] + f[14] : 0);
  } catch {
    return undefined;
  }
}

export const TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

/**
 * Measures what else keeps the CPUs busy while something of ours runs: machine busy time less
 * ours (this process, its waited children, and `tracked` processes), as cores on average.
 */
export function otherLoad() {
  const busy0 = machineBusyTicks();
  const self0 = processTicks(process.pid, true) ?? 0;
  const t0 = Date.now();
  const tracked = new Map();
  return {
    /** Remembers the last CPU time of our live processes (a process that exits keeps its last figure). */
    track(pids) {
      for (const pid of pids) {
        const ticks = processTicks(pid);
        if (ticks !== undefined) tracked.set(pid, ticks);
      }
    },
    cores() {
      const ours = (processTicks(process.pid, true) ?? 0) - self0 + [...tracked.values()].reduce((a, b) => a + b, 0);
      const seconds = (Date.now() - t0) / 1000;
      return seconds > 0 ? Math.max(0, (machineBusyTicks() - busy0 - ours) / TICKS_PER_SECOND / seconds) : 0;
    },
  };
}

/**
 * Waits (up to `maxWaitMs`) until other work uses less than a quarter of a core, so that runs on
 * a shared machine start quiet; says so when it had to wait or gave up.
 */
export async function waitForQuiet(maxWaitMs, log = (line) => console.log(line)) {
  const deadline = Date.now() + maxWaitMs;
  let waiting = false;
  for (;;) {
    const probe = otherLoad();
    await new Promise((done) => setTimeout(done, 1000));
    const load = probe.cores();
    if (load < 0.25) return load;
    if (Date.now() > deadline) {
      log(`    (machine still busy: ${load.toFixed(2)} cores used by other processes; running anyway)`);
      return load;
    }
    if (!waiting) log(`    (waiting: ${load.toFixed(2)} cores used by other processes)`);
    waiting = true;
  }
}

/** Checks: counts that come out wrong (a broken benchmark, not a slow one) make the run fail. */
export function createChecks() {
  const list = [];
  return {
    list,
    check(what, ok, detail) {
      list.push({ what, ok, detail });
      if (!ok) console.log(`    CHECK FAILED: ${what}: ${detail}`);
    },
    /** Prints the outcome; true when every check passed. */
    report() {
      const failed = list.filter((c) => !c.ok);
      console.log(failed.length === 0 ? `\nchecks: all ${list.length} passed` : `\nchecks: ${failed.length} of ${list.length} FAILED`);
      return failed.length === 0;
    },
  };
}

/** Prints rows of cells under `header`; columns in `numeric` are right-aligned. */
export function printTable(header, rows, numeric) {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((cells) => cells[c].length)));
  const line = (cells) => cells.map((cell, c) => (numeric.includes(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd();
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const cells of rows) console.log(line(cells));
}

/** First line of `command args` (a version), or undefined when it does not run. */
export function versionOf(command, args) {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.split('\n')[0]?.trim() : undefined;
}

/** Runs a peer to its end, timed around spawnSync (its start-up included). */
export function runTimed(command, args, env) {
  const load = otherLoad();
  const t = process.hrtime.bigint();
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 26, env });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (result.status !== 0) throw new Error(`${command} failed (${result.status}): ${result.stderr}`);
  return { ms, stdout: result.stdout, otherCores: load.cores() };
}

/** An environment with a private HOME for lnav (it writes its config there on first use). */
export function lnavEnv(home) {
  return { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config') };
}

/**
 * `lnav -n -c QUERY file`: lnav indexes every line of the file to answer (a count needs them all).
 * Returns the time and the numbers of the last output row (the header line is skipped).
 * With `cpu`, lnav runs pinned to that one CPU.
 */
export function runLnav(file, query, env, cpu) {
  const args = ['-n', '-c', query, file];
  // On one CPU, lnav's reader thread and its indexer share that core.
  const r = cpu === undefined ? runTimed(LNAV, args, env) : runTimed(TASKSET, ['-c', String(cpu), LNAV, ...args], env);
  const numbers = r.stdout.trim().split('\n').at(-1).trim().split(/\s+/).map(Number);
  return { ms: r.ms, numbers, otherCores: r.otherCores };
}

/** lnav sets up its config directory on first use: keeps that out of the timed runs. */
export function warmUpLnav(dir, env) {
  const sample = join(dir, 'lnav-warmup.log');
  writeFileSync(sample, 'Mar 12 08:00:01 maas-region-01 CRON[1]: (root) CMD (true)\n');
  runLnav(sample, ';SELECT count(*) FROM all_logs', env);
}

/** Chromium processes under this Node process, with their type (--type=renderer, utility, gpu-process; none = the browser). */
export function chromiumProcesses() {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  const out = [];
  const queue = [...(children.get(process.pid) ?? [])];
  while (queue.length > 0) {
    const pid = queue.shift();
    queue.push(...(children.get(pid) ?? []));
    let cmdline;
    try {
      // Chromium rewrites its title (setproctitle): the arguments may be joined by spaces.
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
    } catch {
      continue;
    }
    if (!/chrom/i.test(cmdline[0] ?? '')) continue;
    const typeArg = cmdline.find((a) => a.startsWith('--type='));
    const subtype = cmdline.find((a) => a.startsWith('--utility-sub-type='));
    const type = typeArg === undefined ? 'browser' : typeArg.slice('--type='.length) + (subtype !== undefined ? `:${subtype.split('.').slice(-2, -1)[0] ?? subtype.slice(20)}` : '');
    out.push({ pid, type });
  }
  return out;
}

export function rssBytes(pid) {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? 0 : Number(match[1]) * 1024;
  } catch {
    return 0;
  }
}

/** A process's resident memory by kind (/proc/PID/status): anonymous, file-backed, shared (bytes). */
export function rssParts(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    return { anon: kb('RssAnon'), file: kb('RssFile'), shmem: kb('RssShmem') };
  } catch {
    return { anon: 0, file: 0, shmem: 0 };
  }
}

/**
 * The page's dedicated workers over CDP: auto-attached through the page's session (non-flat), each
 * asked with `ask(sessionId, method, params)`. With `profileDir`, the page and every worker are
 * CPU-profiled from their start; `stop()` writes `<name>.cpuprofile` files there (open them in
 * Chrome's DevTools or speedscope).
 */
export async function attachWorkers(context, page, profileDir) {
  const session = await context.newCDPSession(page);
  const pending = new Map();
  let nextId = 1;
  const workers = new Map(); // sessionId -> name
  function ask(sessionId, method, params = {}, timeoutMs = 2000) {
    return new Promise((resolve) => {
      const id = nextId++;
      pending.set(`${sessionId}:${id}`, resolve);
      session.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch(() => resolve(undefined));
      setTimeout(() => { if (pending.delete(`${sessionId}:${id}`)) resolve(undefined); }, timeoutMs);
    });
  }
  session.on('Target.receivedMessageFromTarget', ({ sessionId, message }) => {
    const parsed = JSON.parse(message);
    const resolve = pending.get(`${sessionId}:${parsed.id}`);
    if (resolve !== undefined) {
      pending.delete(`${sessionId}:${parsed.id}`);
      resolve(parsed.result);
    }
  });
  session.on('Target.attachedToTarget', ({ sessionId, targetInfo }) => {
    if (targetInfo.type !== 'worker') return;
    workers.set(sessionId, targetInfo.title || targetInfo.url);
    if (profileDir !== undefined) void ask(sessionId, 'Profiler.enable').then(() => ask(sessionId, 'Profiler.setSamplingInterval', { interval: 500 })).then(() => ask(sessionId, 'Profiler.start'));
  });
  session.on('Target.detachedFromTarget', ({ sessionId }) => workers.delete(sessionId));
  await session.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  if (profileDir !== undefined) {
    await session.send('Profiler.enable');
    await session.send('Profiler.setSamplingInterval', { interval: 500 });
    await session.send('Profiler.start');
  }
  return {
    session,
    workers,
    ask,
    async stop() {
      if (profileDir !== undefined) {
        mkdirSync(profileDir, { recursive: true });
        const pageProfile = await session.send('Profiler.stop').catch(() => undefined);
        if (pageProfile !== undefined) writeFileSync(join(profileDir, 'page.cpuprofile'), JSON.stringify(pageProfile.profile));
        for (const [sessionId, name] of workers) {
          const result = await ask(sessionId, 'Profiler.stop', {}, 60_000);
          if (result?.profile !== undefined) writeFileSync(join(profileDir, `${String(name).replace(/[^\w.-]+/g, '_')}.cpuprofile`), JSON.stringify(result.profile));
        }
        console.log(`    CPU profiles of the page and its workers in ${profileDir}`);
      }
      await session.detach().catch(() => undefined);
    },
  };
}
