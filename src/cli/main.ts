import { parseArgs } from 'node:util';
import { version as packageVersion } from '../../package.json';
import { collectEvidence } from '../node/evidence/index';
import { existsSync } from 'node:fs';
import { analyze, type AnalyzeProgress } from './analyze';
import { describeProblem, loadRulePack, type RulePack } from './findings';
import { NdjsonWriter, OutputError } from './ndjson';
import { printable, renderSummary } from './summary';
import { cliCaseName, cliReportInputs, writeCliReport } from './report';
import type { EventBlock } from '../core/model/block';

/**
 * The `loupe` command line. Its flags, output and exit codes are a contract (DESIGN.md, "The
 * command line"): 0 when it ran (per-file problems are listed), 2 on bad usage, 1 when nothing
 * could be read.
 */

export const EXIT_OK = 0;
export const EXIT_NOTHING_READ = 1;
export const EXIT_USAGE = 2;

/** Where the command writes; tests pass their own streams. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
}

export const VERSION: string = packageVersion;

export const USAGE = `Usage: loupe analyze <file|folder>... [options]

Reads MAAS log evidence (sos report folders, loose and rotated logs, .gz) offline and prints a
summary: evidence with SHA-256, datasets, hosts, time range and findings.

Options:
  --json            print exactly one JSON document on stdout (see DESIGN.md, "The command line")
  --ndjson <file>   write every event as one ECS JSON line to <file> ('-' for stdout; not with --json)
  --tz <zone>       IANA zone of year/zone-less stamps, e.g. Europe/Berlin, for every host
                    (over the zone each bundle names in etc/timezone)
  --findings        run the built-in Sigma rule pack over the events (in time order) and list the
                    findings by severity, each with its rule's author; in --json as "findings"
  --rules <path>    extra Sigma rules, files or folders (repeatable); implies --findings
  --pdf <file>      write the incident report (PDF): the findings of the built-in pack and
                    --rules with their authors, timeline, user activity from the MAAS audit
                    log, and every evidence file with its SHA-256
  -h, --help        show this help
  --version         show the version

Folders are read recursively; symlinks inside them are listed but not followed. Archives
(.tar, .tar.gz, .tgz, .tar.xz, .zip, and archives nested in them) are opened and each member
is read as evidence; .bz2 and .zst are listed with an error (no maintained decoder here).

Exit codes: 0 ran (per-file problems are listed as errors), 1 nothing could be read, 2 bad usage.
`;

const OPTIONS = {
  json: { type: 'boolean' },
  findings: { type: 'boolean' },
  ndjson: { type: 'string' },
  pdf: { type: 'string' },
  rules: { type: 'string', multiple: true },
  tz: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

class UsageError extends Error {}

const guarded = new WeakSet<NodeJS.WritableStream>();

/**
 * `loupe analyze … | head` closes stdout early: that EPIPE is the reader saying "enough", not a
 * crash. Other write errors surface where the writing is awaited (NdjsonWriter).
 */
function ignoreClosedPipe(stream: NodeJS.WritableStream): void {
  if (guarded.has(stream)) return;
  guarded.add(stream);
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') process.exitCode = EXIT_NOTHING_READ;
  });
}

export async function main(argv: string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const fail = (message: string, code: number): number => {
    io.stderr.write(`loupe: ${message}\n`);
    return code;
  };
  ignoreClosedPipe(io.stdout);
  ignoreClosedPipe(io.stderr);
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const { values, positionals } = parsed;
    const [command, ...inputs] = positionals;
    if (values.version === true) {
      io.stdout.write(`${VERSION}\n`);
      return EXIT_OK;
    }
    if (values.help === true || command === 'help') {
      io.stdout.write(USAGE);
      return EXIT_OK;
    }
    if (command === undefined) {
      io.stderr.write(USAGE);
      return EXIT_USAGE;
    }
    if (command !== 'analyze') throw new UsageError(`unknown command '${printable(command)}' (the command is 'analyze')`);
    if (values.pdf === '') throw new UsageError('--pdf needs a file name');
    if (values.tz !== undefined && !isTimeZone(values.tz)) throw new UsageError(`unknown time zone '${printable(values.tz)}' (use an IANA name such as UTC or Europe/Berlin)`);
    if (values.ndjson === '-' && values.json === true) throw new UsageError('--ndjson - and --json both want stdout: write the NDJSON to a file');
    if (values.ndjson === '') throw new UsageError('--ndjson needs a file name (or - for stdout)');
    if (inputs.length === 0) throw new UsageError('no evidence given: loupe analyze <file|folder>...');

    let detect: RulePack | undefined;
    // The report's findings are the built-in pack's plus --rules, as with --findings.
    if (values.findings === true || values.rules !== undefined || values.pdf !== undefined) {
      for (const path of values.rules ?? []) if (!existsSync(path)) throw new UsageError(`--rules: ${printable(path)} does not exist`);
      detect = loadRulePack(values.rules ?? []);
      for (const problem of detect.problems) io.stderr.write(`loupe: rule not loaded: ${describeProblem(problem)}\n`);
    }
    return await runAnalyze(inputs, {
      json: values.json === true,
      ...(detect !== undefined ? { detect } : {}),
      ...(values.ndjson !== undefined ? { ndjson: values.ndjson } : {}),
      ...(values.tz !== undefined ? { tz: values.tz } : {}),
      ...(values.pdf !== undefined ? { pdf: values.pdf } : {}),
    }, io);
  } catch (e) {
    if (e instanceof UsageError) return fail(`${e.message}\nRun 'loupe --help' for usage.`, EXIT_USAGE);
    // A reader that stopped reading (EPIPE) needs no message.
    if (e instanceof OutputError) return e.code === 'EPIPE' ? EXIT_NOTHING_READ : fail(e.message, EXIT_NOTHING_READ);
    return fail(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`, EXIT_NOTHING_READ);
  }
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

interface AnalyzeArgs {
  readonly json: boolean;
  readonly detect?: RulePack;
  readonly ndjson?: string;
  readonly tz?: string;
  readonly pdf?: string;
}

async function runAnalyze(inputs: readonly string[], args: AnalyzeArgs, io: CliIo): Promise<number> {
  const started = performance.now();
  const collected = await collectEvidence(inputs);
  if (collected.missing.length > 0) {
    throw new UsageError(collected.missing.map((m) => `${printable(m.arg)}: ${m.error}`).join('\n'));
  }
  if (collected.entries.length === 0) {
    io.stderr.write('loupe: nothing to analyze: the folders given hold no files\n');
    if (args.json) io.stdout.write(`${JSON.stringify({ evidence: [], hosts: [], events: 0, datasets: {}, findings: [] }, null, 2)}\n`);
    return EXIT_NOTHING_READ;
  }

  const blocks: EventBlock[] = [];
  const ndjson = args.ndjson === undefined ? undefined : args.ndjson === '-' ? NdjsonWriter.toStream(io.stdout) : await ndjsonFile(args.ndjson);
  const progress = io.stderr.isTTY === true ? terminalProgress(io.stderr) : undefined;
  let analysis;
  try {
    analysis = await analyze(collected.entries, {
      ...(ndjson !== undefined ? { ndjson } : {}),
      ...(progress !== undefined ? { progress } : {}),
      ...(args.detect !== undefined ? { detect: args.detect } : {}),
      ...(args.pdf !== undefined ? { onBlock: (block: EventBlock) => { blocks.push(block); } } : {}),
      ...(args.tz !== undefined ? { tz: args.tz } : {}),
    });
    await ndjson?.close();
  } finally {
    progress?.clear();
  }

  if (args.json) {
    io.stdout.write(`${JSON.stringify(analysis.document, null, 2)}\n`);
  } else {
    // With NDJSON on stdout the summary goes to stderr, so the event stream stays parseable.
    const target = args.ndjson === '-' ? io.stderr : io.stdout;
    target.write(renderSummary(analysis, {
      version: VERSION,
      seconds: (performance.now() - started) / 1000,
      ...(args.tz !== undefined ? { tz: args.tz } : {}),
      ...(args.ndjson !== undefined && args.ndjson !== '-' ? { ndjsonPath: args.ndjson } : {}),
    }));
  }
  if (args.pdf !== undefined && args.detect !== undefined) {
    const inputs = cliReportInputs(analysis, blocks, args.detect, { caseName: cliCaseName(analysis), generator: `Loupe ${VERSION}`, now: Date.now() });
    const written = await writeCliReport(args.pdf, inputs);
    io.stderr.write(`loupe: report written to ${printable(args.pdf)} (${written.pages} pages, ${inputs.findings.length} findings)\n`);
  }
  if (analysis.readable === 0) {
    io.stderr.write('loupe: nothing could be read (see the errors of each file)\n');
    return EXIT_NOTHING_READ;
  }
  return EXIT_OK;
}

/** An NDJSON file that cannot be created is a bad argument, found before any reading. */
async function ndjsonFile(path: string): Promise<NdjsonWriter> {
  try {
    return await NdjsonWriter.toFile(path);
  } catch (e) {
    throw new UsageError(`--ndjson: ${(e as Error).message}`);
  }
}

/** One line on stderr, rewritten in place, at most every 100 ms. */
function terminalProgress(stderr: CliIo['stderr']): AnalyzeProgress & { clear(): void } {
  let last = 0;
  let current = '';
  let shown = false;
  const draw = (text: string, force: boolean): void => {
    const now = performance.now();
    if (!force && now - last < 100) return;
    last = now;
    // columns is 0 or missing when the terminal size is unknown.
    const width = Math.max(20, (stderr.columns || 80) - 1);
    const line = text.length > width ? `…${text.slice(text.length - width + 1)}` : text;
    stderr.write(`\r\x1b[K${line}`);
    shown = true;
  };
  return {
    file(index, total, path) {
      current = `[${index + 1}/${total}] ${printable(path)}`;
      draw(current, false);
    },
    bytes(decoded) {
      draw(`${current} ${(decoded / 1024 ** 2).toFixed(1)} MiB`, false);
    },
    clear() {
      if (shown) stderr.write('\r\x1b[K');
    },
  };
}
