/**
 * How a raw → curated run chooses its input and commits its output, so that every raw file is read
 * by exactly one committed run and a failed or retried attempt leaves nothing behind. The Glue job
 * (components/etl/scripts/raw_to_curated.py) implements these rules step for step; the replay test
 * (tests/lib/run-integrity.test.ts) drives them through interleavings of arrivals, runs, crashes
 * and retries. Why this and not Glue job bookmarks or crawlers: docs/run-integrity.md.
 *
 * Input: Firehose names a raw object's prefix by the approximate arrival time of the oldest record
 * in it and delivers a buffer at the latest when its interval runs out
 * (https://docs.aws.amazon.com/firehose/latest/dev/s3-prefixes.html), so no object can land under
 * the prefix of hour H after H + 1 h + the buffer interval. A run reads, by S3 path, only such
 * closed hours, starting after the domain's own watermark (the last hour committed), oldest first.
 *
 * Output: a run writes its change set (the batch, lib/iceberg-merge-sql.ts) and its quarantined
 * rows under its own staging prefix, merges the batch into the domain's Iceberg table (one atomic
 * Iceberg commit), then commits: it lists its staging prefix only, copies each staged file to its
 * place (the staged file is the journal of the copy), writes the COPY manifest of the placed change
 * set, and in one DynamoDB transaction advances the watermark (conditional on the value it started
 * from), records the run and marks it committed. Only then does it delete its staging files. Any
 * run first removes what an earlier uncommitted run left: the placed copies of its staged files,
 * then the staged files. A MERGE that committed while the run's transaction did not is not undone:
 * the retry reads the same hours, builds the same batch and merges it again, which changes nothing
 * (the MERGE is idempotent: at an equal event the table keeps its row).
 */

import { changeSetPrefix, manifestPrefix, quarantinePrefix } from "./layout";

/** One hour, in milliseconds. */
export const HOUR_MS = 3_600_000;

/**
 * Extra wait after an hour's last possible Firehose flush before the hour counts as closed: S3's
 * PUT latency and Firehose's buffering being a hint it may stretch
 * (https://docs.aws.amazon.com/firehose/latest/APIReference/API_BufferingHints.html). Our choice.
 */
export const DEFAULT_CLOSE_MARGIN_SECONDS = 600;

/** Hours a run reads at most by default, so a catch-up after an outage goes in bounded runs. */
export const DEFAULT_MAX_HOURS_PER_RUN = 24;

/** Seconds after an hour ends before it is closed: Firehose's buffer interval and a margin. */
export function closeAfterSeconds(bufferIntervalSeconds: number, marginSeconds: number = DEFAULT_CLOSE_MARGIN_SECONDS): number {
    if (!Number.isInteger(bufferIntervalSeconds) || bufferIntervalSeconds < 0 || bufferIntervalSeconds > 900) {
        throw new Error(`bufferIntervalSeconds: got ${bufferIntervalSeconds}; Firehose allows an integer from 0 to 900`);
    }
    if (!Number.isInteger(marginSeconds) || marginSeconds < 0) throw new Error(`marginSeconds: got ${marginSeconds}; expected a non-negative integer`);
    return bufferIntervalSeconds + marginSeconds;
}

/** The start (epoch ms) of the hour `time` falls in. */
export function hourOf(time: number): number {
    return Math.floor(time / HOUR_MS) * HOUR_MS;
}

/** Whether the hour starting at `hour` is closed at `now`: nothing more can land under its prefix. */
export function isClosed(hour: number, now: number, closeAfter: number): boolean {
    return now >= hour + HOUR_MS + closeAfter * 1000;
}

/** The newest closed hour at `now`. */
export function lastClosedHour(now: number, closeAfter: number): number {
    return hourOf(now - closeAfter * 1000) - HOUR_MS;
}

/**
 * The hours a run started at `now` reads, oldest first: the closed hours after the watermark (the
 * last committed hour), at most `maxHoursPerRun`. Without a watermark (the domain's first run) it
 * starts at `firstHour`, the oldest hour of the raw prefix (none: nothing to read).
 */
export function hoursToRead(lastCommittedHour: number | undefined, now: number, closeAfter: number, maxHoursPerRun: number, firstHour?: number): number[] {
    if (!Number.isInteger(maxHoursPerRun) || maxHoursPerRun < 1) throw new Error(`maxHoursPerRun: got ${maxHoursPerRun}; expected a positive integer`);
    const from = lastCommittedHour !== undefined ? lastCommittedHour + HOUR_MS : firstHour;
    if (from === undefined || from % HOUR_MS !== 0) return [];
    const last = lastClosedHour(now, closeAfter);
    const hours: number[] = [];
    for (let hour = from; hour <= last && hours.length < maxHoursPerRun; hour += HOUR_MS) hours.push(hour);
    return hours;
}

/** The arrival-hour partition values of an hour, as Firehose writes them (UTC, zero-padded). */
export function hourPartition(hour: number): { year: string; month: string; day: string; hour: string } {
    const iso = new Date(hour).toISOString();
    return { year: iso.slice(0, 4), month: iso.slice(5, 7), day: iso.slice(8, 10), hour: iso.slice(11, 13) };
}

/** The raw key path of an arrival hour below a domain's prefix (and partition-key value, if any). */
export function hourPath(hour: number): string {
    const p = hourPartition(hour);
    return `year=${p.year}/month=${p.month}/day=${p.day}/hour=${p.hour}/`;
}

/** The curated bucket's root of every run's staging prefix (hidden from readers by the `_`; expired by a lifecycle rule). */
export const STAGING_ROOT = "_staging/";

/** Days after which the curated bucket's lifecycle expires anything left under {@link STAGING_ROOT}: far beyond any run's timeout. */
export const STAGING_EXPIRY_DAYS = 7;

/** A domain's staging prefix in the curated bucket: one folder per run below it. */
export function stagingPrefix(domain: string): string {
    return `${STAGING_ROOT}${domain}/`;
}

/** Where a run stages its files: `changes/` and `quarantine/` below it. */
export function runStagingPrefix(domain: string, runId: string): string {
    return `${stagingPrefix(domain)}${runId}/`;
}

/**
 * The place of a staged file: `changes/<rel>` goes to the run's change set,
 * `_changes/<domain>/<run id>/<rel>`, `quarantine/<rel>` to `_quarantine/<domain>/<rel>`
 * (lib/layout.ts); the file names Spark writes are unique to the run.
 */
export function placedKey(domain: string, runId: string, stagedKey: string): string {
    const prefix = runStagingPrefix(domain, runId);
    if (!stagedKey.startsWith(prefix)) throw new Error(`${stagedKey} is not staged by run ${runId} of ${domain}`);
    const rest = stagedKey.slice(prefix.length);
    if (rest.startsWith("changes/")) return `${changeSetPrefix({ name: domain })}${runId}/${rest.slice("changes/".length)}`;
    if (rest.startsWith("quarantine/")) return `${quarantinePrefix({ name: domain })}${rest.slice("quarantine/".length)}`;
    throw new Error(`${stagedKey} is neither changes/ nor quarantine/ below ${prefix}`);
}

/** A run's COPY manifest (lib/layout.ts manifestPrefix, `<prefix><run id>.manifest`). */
export function manifestKey(domain: string, runId: string): string {
    return `${manifestPrefix({ name: domain })}${runId}.manifest`;
}

/** Key of a domain's raw-input watermark in the pipeline state table: the last arrival hour committed. */
export function inputWatermarkKey(domain: string): { pk: string; sk: string } {
    return { pk: `input#${domain}`, sk: "raw-hours" };
}

/** Key of the marker a run's commit writes in the same transaction: whether a run id committed. */
export function commitMarkerKey(domain: string, runId: string): { pk: string; sk: string } {
    return { pk: `commit#${domain}`, sk: runId };
}

/** A run's reconciliation counts. */
export interface RunCounts {
    /** Raw rows the run read. */
    rawIn: number;
    /** Rows it wrote to the curated zone. */
    curated: number;
    /** Rows it set aside for failing the contract. */
    quarantined: number;
    /** Valid rows it dropped as an older version (or a repeat) of a key it kept. */
    duplicates: number;
}

/** raw-in − (curated + quarantined + duplicates): 0 when every row read is accounted for. */
export function reconciliationMismatch(counts: RunCounts): number {
    return counts.rawIn - (counts.curated + counts.quarantined + counts.duplicates);
}

/** Metric names a run publishes per domain (namespace lib/pipeline-state.ts PIPELINE_METRICS_NAMESPACE, dimension `Domain`). */
export const RECONCILIATION_METRICS = {
    rawIn: "RawInRecords",
    curated: "CuratedRecords",
    quarantined: "QuarantinedRecords",
    duplicates: "DuplicateRecords",
    mismatch: "ReconciliationMismatch",
} as const;

// ---------------------------------------------------------------------------------------------
// The protocol as a state machine over a model of S3 and the state table (what the replay test drives).

/** A raw object: its key's arrival hour and when it became visible in S3. */
export interface RawFile {
    key: string;
    hour: number;
    landedAt: number;
    /** Rows in the file. */
    rows: number;
}

/** The model of what a run touches: the raw zone, the curated bucket and the state table. */
export interface World {
    raw: RawFile[];
    /** Keys of the curated bucket (staged and placed files, manifests). */
    curated: Set<string>;
    /**
     * The domain's Iceberg table: by primary key, the events of the rows it holds (one, once merged).
     * @default no table modelled
     */
    table?: Map<number, number[]>;
    /** The input watermark item: the last committed hour and the run that committed it. */
    watermark?: { hour: number; runId: string };
    /** Commit markers and run records by run id: the raw files each committed run read. */
    committed: Map<string, { hours: number[]; files: string[]; manifest: string[]; counts: RunCounts }>;
}

/** A run in progress. */
export interface Run {
    domain: string;
    runId: string;
    startedAt: number;
    /** The watermark it started from (the transaction's condition). */
    from?: number;
    hours: number[];
    files: RawFile[];
    staged: string[];
}

/** Start: remove what earlier uncommitted runs left, then choose the hours. */
export function startRun(world: World, domain: string, runId: string, now: number, closeAfter: number, maxHoursPerRun: number, firstHour?: number): Run {
    cleanLeftovers(world, domain, runId);
    const from = world.watermark?.hour;
    return { domain, runId, startedAt: now, from, hours: hoursToRead(from, now, closeAfter, maxHoursPerRun, firstHour), files: [], staged: [] };
}

/**
 * Every staging folder of the domain but the run's own: a committed run's staged files are deleted;
 * an uncommitted run's placed copies are deleted first (the staged keys say which), then its staged files.
 */
export function cleanLeftovers(world: World, domain: string, runId: string): void {
    const root = stagingPrefix(domain);
    const byRun = new Map<string, string[]>();
    for (const key of world.curated) {
        if (!key.startsWith(root)) continue;
        const id = key.slice(root.length).split("/")[0];
        if (id !== runId) byRun.set(id, [...(byRun.get(id) ?? []), key]);
    }
    for (const [id, staged] of byRun) {
        const committed = world.committed.has(id);
        if (!committed) world.curated.delete(manifestKey(domain, id));
        for (const key of staged) {
            if (!committed) world.curated.delete(placedKey(domain, id, key));
            world.curated.delete(key);
        }
    }
}

/** List the chosen hours' prefixes at `now` (the files visible then) and read them. */
export function listInput(world: World, run: Run, now: number): void {
    const hours = new Set(run.hours);
    run.files = world.raw.filter((f) => hours.has(f.hour) && f.landedAt <= now);
}

/** Write the run's output under its staging prefix (one staged change-set file per raw file read, for the model). */
export function stageOutput(world: World, run: Run): void {
    for (const file of run.files) {
        const key = `${runStagingPrefix(run.domain, run.runId)}changes/part-${run.runId}-${file.key.replace(/\W+/g, "_")}.parquet`;
        world.curated.add(key);
        run.staged.push(key);
    }
}

/** A batch row: its primary key and its event. */
export interface BatchRow {
    key: number;
    event: number;
}

/**
 * The MERGE of a batch into the table (lib/iceberg-merge-sql.ts, one atomic commit): a key the
 * table lacks is inserted, a strictly newer event replaces the row, an older or equal one changes
 * nothing. `append` is the negative control: a blind insert, as a plain Parquet append would be.
 */
export function mergeBatch(world: World, batch: BatchRow[], mode: "merge" | "append" = "merge"): void {
    const table = world.table ?? new Map<number, number[]>();
    world.table = table;
    for (const row of batch) {
        const held = table.get(row.key);
        if (!held || mode === "append") table.set(row.key, [...(held ?? []), row.event]);
        else if (row.event > held[0]) table.set(row.key, [row.event]);
    }
}

/** Place every staged file (listing the run's own staging prefix only) and write the manifest; returns the placed keys. */
export function placeOutput(world: World, run: Run): string[] {
    const prefix = runStagingPrefix(run.domain, run.runId);
    const staged = [...world.curated].filter((k) => k.startsWith(prefix));
    const placed = staged.map((k) => placedKey(run.domain, run.runId, k));
    for (const key of placed) world.curated.add(key);
    if (placed.length > 0) world.curated.add(manifestKey(run.domain, run.runId));
    return placed;
}

/**
 * The transaction: advance the watermark if it still holds the value the run started from, record
 * the run and its marker. False (nothing written) when another run moved the watermark.
 */
export function commitRun(world: World, run: Run, placed: string[], counts: RunCounts): boolean {
    if (world.watermark?.hour !== run.from) return false;
    if (reconciliationMismatch(counts) !== 0) return false;
    if (run.hours.length > 0) world.watermark = { hour: run.hours[run.hours.length - 1], runId: run.runId };
    const changes = `${changeSetPrefix({ name: run.domain })}${run.runId}/`;
    world.committed.set(run.runId, { hours: run.hours, files: run.files.map((f) => f.key), manifest: placed.filter((k) => k.startsWith(changes)), counts });
    return true;
}

/** After the commit: delete the run's own staged files. */
export function finishRun(world: World, run: Run): void {
    const prefix = runStagingPrefix(run.domain, run.runId);
    for (const key of [...world.curated]) if (key.startsWith(prefix)) world.curated.delete(key);
}
