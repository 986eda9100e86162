import * as assert from "node:assert/strict";
import fc from "fast-check";
import {
    cleanLeftovers,
    closeAfterSeconds,
    commitRun,
    finishRun,
    HOUR_MS,
    hourPath,
    hoursToRead,
    isClosed,
    lastClosedHour,
    listInput,
    manifestKey,
    mergeBatch,
    placedKey,
    placeOutput,
    type RawFile,
    type Run,
    type RunCounts,
    reconciliationMismatch,
    runStagingPrefix,
    STAGING_ROOT,
    stageOutput,
    startRun,
    type World,
} from "../../lib/run-integrity";

const DOMAIN = "orders";
const T0 = Date.UTC(2026, 11, 7, 0);

describe("run integrity: which raw hours a run reads (lib/run-integrity.ts)", () => {
    it("closes an hour once its last possible Firehose flush plus the margin has passed", () => {
        const closeAfter = closeAfterSeconds(300, 600);
        assert.equal(closeAfter, 900);
        assert.equal(isClosed(T0, T0 + HOUR_MS + 899_999, closeAfter), false);
        assert.equal(isClosed(T0, T0 + HOUR_MS + 900_000, closeAfter), true);
        assert.equal(lastClosedHour(T0 + 2 * HOUR_MS + 900_000, closeAfter), T0 + HOUR_MS);
    });

    it("reads the closed hours after the watermark, oldest first, at most maxHoursPerRun", () => {
        const now = T0 + 10 * HOUR_MS + 1_000_000;
        assert.deepEqual(hoursToRead(T0 + 5 * HOUR_MS, now, 900, 24), [T0 + 6 * HOUR_MS, T0 + 7 * HOUR_MS, T0 + 8 * HOUR_MS, T0 + 9 * HOUR_MS]);
        assert.deepEqual(hoursToRead(T0 + 5 * HOUR_MS, now, 900, 2), [T0 + 6 * HOUR_MS, T0 + 7 * HOUR_MS]);
        assert.deepEqual(hoursToRead(T0 + 9 * HOUR_MS, now, 900, 24), [], "hour 10 is still open");
        assert.deepEqual(hoursToRead(undefined, now, 900, 3, T0), [T0, T0 + HOUR_MS, T0 + 2 * HOUR_MS], "the first run starts at the oldest raw hour");
        assert.deepEqual(hoursToRead(undefined, now, 900, 3), [], "no raw hour yet");
    });

    it("refuses a buffer interval Firehose does not allow and a run that reads nothing", () => {
        assert.throws(() => closeAfterSeconds(901), /bufferIntervalSeconds: got 901; Firehose allows an integer from 0 to 900/);
        assert.throws(() => hoursToRead(undefined, T0, 900, 0), /maxHoursPerRun: got 0/);
    });

    it("writes hour paths as Firehose's UTC, zero-padded timestamp prefix does", () => {
        assert.equal(hourPath(Date.UTC(2026, 0, 2, 3)), "year=2026/month=01/day=02/hour=03/");
    });

    it("places a staged change set under the run's own prefix outside the table's location, quarantined files in the domain's layout, and refuses another run's file", () => {
        const staged = runStagingPrefix(DOMAIN, "jr_1");
        assert.equal(placedKey(DOMAIN, "jr_1", `${staged}changes/part-0.parquet`), "_changes/orders/jr_1/part-0.parquet");
        assert.equal(placedKey(DOMAIN, "jr_1", `${staged}quarantine/year=2026/month=12/day=07/part-0.parquet`), "_quarantine/orders/year=2026/month=12/day=07/part-0.parquet");
        assert.equal(manifestKey(DOMAIN, "jr_1"), "_changes/orders/_manifests/jr_1.manifest");
        assert.throws(() => placedKey(DOMAIN, "jr_1", `${runStagingPrefix(DOMAIN, "jr_1_attempt_1")}changes/x.parquet`), /not staged by run jr_1/);
        assert.throws(() => placedKey(DOMAIN, "jr_1", `${staged}curated/x.parquet`), /neither changes\/ nor quarantine\//);
    });

    it("reconciles raw-in against curated + quarantined + duplicates", () => {
        assert.equal(reconciliationMismatch({ rawIn: 10, curated: 6, quarantined: 2, duplicates: 2 }), 0);
        assert.equal(reconciliationMismatch({ rawIn: 10, curated: 6, quarantined: 2, duplicates: 1 }), 1);
    });
});

// ---------------------------------------------------------------------------------------------
// The replay: raw files arriving over hours as Firehose delivers them, runs at arbitrary times, some
// attempts crashing at any step and retried under a new run id (as Glue retries do), then runs
// long after every hour closed. Every raw file must be read by exactly one committed run.

/** How an attempt ends. */
type Outcome = "ok" | "crash-before-write" | "crash-after-stage" | "crash-after-merge" | "crash-after-place" | "crash-after-commit";

interface Attempt {
    /** Minutes after T0 the run starts. */
    startMinute: number;
    /** Minutes it spends before listing its input (files keep landing meanwhile), and before committing. */
    listDelayMinutes: number;
    commitDelayMinutes: number;
    outcome: Outcome;
    /** Crashed attempts Glue retries (each a new run id), the last one succeeding or not. */
    retries: Outcome[];
}

interface Scenario {
    bufferSeconds: number;
    marginSeconds: number;
    maxHoursPerRun: number;
    files: RawFile[];
    /** Rows of each file: key ids, their events, and whether each row fails the contract. */
    rows: Map<string, { key: number; event: number; bad: boolean }[]>;
    attempts: Attempt[];
}

const outcome = fc.constantFrom<Outcome>("ok", "ok", "crash-before-write", "crash-after-stage", "crash-after-merge", "crash-after-place", "crash-after-commit");

/** A sample layout: files per hour landing from the hour's start to its end plus the buffer interval (late flushes). */
const scenario: fc.Arbitrary<Scenario> = fc
    .record({
        bufferSeconds: fc.integer({ min: 60, max: 900 }),
        marginSeconds: fc.constantFrom(0, 60, 600),
        maxHoursPerRun: fc.integer({ min: 1, max: 4 }),
        hours: fc.integer({ min: 1, max: 6 }),
        fileSeeds: fc.array(fc.record({ hour: fc.nat(5), late: fc.boolean(), landing: fc.double({ min: 0, max: 1, noNaN: true }), rows: fc.array(fc.record({ key: fc.nat(6), event: fc.nat(4), bad: fc.boolean() }), { minLength: 1, maxLength: 5 }) }), { minLength: 1, maxLength: 25 }),
        attempts: fc.array(
            fc.record({
                // Runs cluster just after hour boundaries, where late flushes land.
                startMinute: fc.tuple(fc.nat(8), fc.nat(25)).map(([hour, minute]) => hour * 60 + minute),
                listDelayMinutes: fc.integer({ min: 0, max: 30 }),
                commitDelayMinutes: fc.integer({ min: 0, max: 30 }),
                outcome,
                retries: fc.array(outcome, { maxLength: 3 }),
            }),
            { maxLength: 12 },
        ),
    })
    .map(({ bufferSeconds, marginSeconds, maxHoursPerRun, hours, fileSeeds, attempts }) => {
        const rows = new Map<string, { key: number; event: number; bad: boolean }[]>();
        const files = fileSeeds.map((seed, i) => {
            const hour = T0 + (seed.hour % hours) * HOUR_MS;
            // Firehose names the object by its oldest record's arrival and flushes within the buffer interval:
            // half the files land during their hour, half are late flushes after it ended.
            const landedAt = seed.late ? hour + HOUR_MS + Math.floor(seed.landing * bufferSeconds * 1000) : hour + Math.floor(seed.landing * HOUR_MS);
            const key = `orders/${hourPath(hour)}orders-${i}.parquet`;
            rows.set(key, seed.rows);
            return { key, hour, landedAt, rows: seed.rows.length };
        });
        return { bufferSeconds, marginSeconds, maxHoursPerRun, files, rows, attempts: [...attempts].sort((a, b) => a.startMinute - b.startMinute) };
    });

/** The reconciliation counts of what a run read (the DuckDB-tested SQL computes the same split, tests/lib/etl-sql-reconciliation.test.ts). */
function countsOf(s: Scenario, run: Run): RunCounts {
    const rows = run.files.flatMap((f) => s.rows.get(f.key) ?? []);
    const valid = rows.filter((r) => !r.bad);
    const curated = new Set(valid.map((r) => r.key)).size;
    return { rawIn: rows.length, curated, quarantined: rows.length - valid.length, duplicates: valid.length - curated };
}

interface Options {
    /** The rule under test; the negative controls weaken it. */
    closeAfter(s: Scenario): number;
    cleanLeftovers: boolean;
    /** How the batch reaches the table: the MERGE, or (negative control) a blind append. */
    write: "merge" | "append";
}

/** The batch of what a run read: the latest valid event of each key (lib/etl-sql.ts). */
function batchOf(s: Scenario, run: Run): { key: number; event: number }[] {
    const latest = new Map<number, number>();
    for (const row of run.files.flatMap((f) => s.rows.get(f.key) ?? [])) if (!row.bad) latest.set(row.key, Math.max(latest.get(row.key) ?? -1, row.event));
    return [...latest].map(([key, event]) => ({ key, event }));
}

/** Runs one attempt to its outcome; returns when it ended and whether it committed. */
function attempt(world: World, s: Scenario, runId: string, start: number, a: Pick<Attempt, "listDelayMinutes" | "commitDelayMinutes">, end: Outcome, o: Options): { committed: boolean; at: number } {
    const closeAfter = o.closeAfter(s);
    const first = Math.min(...s.files.map((f) => f.hour));
    const run = o.cleanLeftovers ? startRun(world, DOMAIN, runId, start, closeAfter, s.maxHoursPerRun, first) : { ...startRunWithoutCleanup(world, runId, start, closeAfter, s.maxHoursPerRun, first) };
    const listedAt = start + a.listDelayMinutes * 60_000;
    listInput(world, run, listedAt);
    if (end === "crash-before-write") return { committed: false, at: listedAt };
    stageOutput(world, run);
    if (end === "crash-after-stage") return { committed: false, at: listedAt };
    mergeBatch(world, batchOf(s, run), o.write);
    if (end === "crash-after-merge") return { committed: false, at: listedAt };
    const placed = placeOutput(world, run);
    const at = listedAt + a.commitDelayMinutes * 60_000;
    if (end === "crash-after-place") return { committed: false, at };
    const committed = commitRun(world, run, placed, countsOf(s, run));
    if (end === "crash-after-commit") return { committed, at };
    finishRun(world, run);
    return { committed, at };
}

function startRunWithoutCleanup(world: World, runId: string, now: number, closeAfter: number, maxHours: number, first: number): Run {
    const from = world.watermark?.hour;
    return { domain: DOMAIN, runId, startedAt: now, from, hours: hoursToRead(from, now, closeAfter, maxHours, first), files: [], staged: [] };
}

/** Replays a scenario: its attempts (each crash retried under `<id>_attempt_<n>`), then runs until every hour is read. */
function replay(s: Scenario, o: Options): World {
    const world: World = { raw: s.files, curated: new Set(), committed: new Map() };
    let clock = T0;
    s.attempts.forEach((a, i) => {
        // One run of the job at a time (Glue's MaxConcurrentRuns 1): a run starts after the previous one ended.
        clock = Math.max(clock, T0 + a.startMinute * 60_000);
        const ends = [a.outcome, ...(a.outcome === "ok" ? [] : a.retries)];
        for (const [n, end] of ends.entries()) {
            const result = attempt(world, s, n === 0 ? `jr_${i}` : `jr_${i}_attempt_${n}`, clock, a, end, o);
            clock = result.at + 60_000;
            if (end === "ok") break;
        }
    });
    // Long after: runs until nothing is left to read.
    const late = Math.max(clock, T0 + 12 * HOUR_MS);
    for (let i = 0; i < 20; i++) attempt(world, s, `jr_drain_${i}`, late + i * 60_000, { listDelayMinutes: 0, commitDelayMinutes: 0 }, "ok", o);
    return world;
}

/** What must hold after a replay; returns the first violation or undefined. */
function violation(s: Scenario, world: World): string | undefined {
    const readBy = new Map<string, string[]>();
    for (const [runId, run] of world.committed) for (const file of run.files) readBy.set(file, [...(readBy.get(file) ?? []), runId]);
    for (const file of s.files) {
        const runs = readBy.get(file.key) ?? [];
        if (runs.length === 0) return `${file.key} (landed ${(file.landedAt - file.hour) / 1000}s into its hour) was skipped`;
        if (runs.length > 1) return `${file.key} was read by ${runs.join(", ")}`;
    }
    for (const [runId, run] of world.committed) {
        const mismatch = reconciliationMismatch(run.counts);
        if (mismatch !== 0) return `run ${runId} does not reconcile (${mismatch})`;
    }
    const rawRows = s.files.reduce((n, f) => n + f.rows, 0);
    const readRows = [...world.committed.values()].reduce((n, r) => n + r.counts.rawIn, 0);
    if (rawRows !== readRows) return `raw holds ${rawRows} rows, committed runs read ${readRows}`;
    // The table holds one row per key with a valid row, at its latest event, whatever crashed after a MERGE.
    const expected = new Map<number, number>();
    for (const row of [...s.rows.values()].flat()) if (!row.bad) expected.set(row.key, Math.max(expected.get(row.key) ?? -1, row.event));
    for (const [key, events] of world.table ?? new Map<number, number[]>()) {
        if (events.length !== 1) return `key ${key} has ${events.length} rows in the table`;
        if (events[0] !== expected.get(key)) return `key ${key} holds event ${events[0]}, not its latest ${expected.get(key)}`;
    }
    if ((world.table?.size ?? 0) !== expected.size) return `the table holds ${world.table?.size ?? 0} keys, the raw rows ${expected.size}`;
    const staging = [...world.curated].filter((k) => k.startsWith(STAGING_ROOT));
    if (staging.length > 0) return `staging files remain: ${staging.slice(0, 3).join(", ")}`;
    const manifested = new Set([...world.committed.values()].flatMap((r) => r.manifest));
    const committedManifests = new Set([...world.committed.keys()].map((id) => manifestKey(DOMAIN, id)));
    for (const key of world.curated) {
        if (key.includes("/_manifests/")) {
            if (!committedManifests.has(key)) return `orphaned manifest ${key}`;
        } else if (!manifested.has(key)) return `orphaned curated file ${key}`;
    }
    for (const key of manifested) if (!world.curated.has(key)) return `manifest lists a missing file ${key}`;
    return undefined;
}

describe("run integrity: replaying arrivals, runs, crashes and retries over a sample layout", () => {
    const rule: Options = { closeAfter: (s) => closeAfterSeconds(s.bufferSeconds, s.marginSeconds), cleanLeftovers: true, write: "merge" };

    it("reads every raw file in exactly one committed run, reconciles every run and leaves no staging or orphaned files", () => {
        fc.assert(
            fc.property(scenario, (s) => {
                const world = replay(s, rule);
                assert.equal(violation(s, world), undefined);
            }),
            { numRuns: 400 },
        );
    });

    it("replays the named hard cases: a late flush, a file landing while a run lists, a crash between write and commit, a crash after commit", () => {
        const buffer = 300;
        const files: RawFile[] = [
            { key: "orders/h0-early.parquet", hour: T0, landedAt: T0 + 60_000, rows: 2 },
            // Flushed 4 minutes after hour 0 ended, still under hour 0's prefix (its oldest record's arrival).
            { key: "orders/h0-late.parquet", hour: T0, landedAt: T0 + HOUR_MS + 240_000, rows: 1 },
            // Lands at 01:20 while the first run lists at 01:10..01:25.
            { key: "orders/h1.parquet", hour: T0 + HOUR_MS, landedAt: T0 + HOUR_MS + 20 * 60_000, rows: 3 },
        ];
        const s: Scenario = {
            bufferSeconds: buffer,
            marginSeconds: 600,
            maxHoursPerRun: 24,
            files,
            rows: new Map(files.map((f) => [f.key, Array.from({ length: f.rows }, (_, i) => ({ key: i, event: i, bad: i === 2 }))])),
            attempts: [
                { startMinute: 62, listDelayMinutes: 15, commitDelayMinutes: 5, outcome: "crash-after-place", retries: ["crash-after-commit", "ok"] },
                { startMinute: 130, listDelayMinutes: 0, commitDelayMinutes: 0, outcome: "ok", retries: [] },
            ],
        };
        const world = replay(s, rule);
        assert.equal(violation(s, world), undefined);
        // The first attempt's hour-0 read happened before 01:15 (closed at 01:15), so it read nothing; hour 0 went to a later run, whole.
        const readers = [...world.committed].filter(([, r]) => r.files.includes("orders/h0-late.parquet")).map(([id]) => id);
        assert.equal(readers.length, 1);
        assert.ok(world.committed.get(readers[0])!.files.includes("orders/h0-early.parquet"), "both files of hour 0 in the same run");
    });

    it("negative control: reading an hour as soon as it ends (no buffer interval) skips late flushes", () => {
        // A late flush of hour 0 lands at 01:04; a run lists hour 0 at 01:02.
        const files: RawFile[] = [
            { key: "orders/h0-early.parquet", hour: T0, landedAt: T0 + 60_000, rows: 1 },
            { key: "orders/h0-late.parquet", hour: T0, landedAt: T0 + HOUR_MS + 240_000, rows: 1 },
        ];
        const s: Scenario = {
            bufferSeconds: 300,
            marginSeconds: 600,
            maxHoursPerRun: 24,
            files,
            rows: new Map(files.map((f, i) => [f.key, [{ key: i, event: i, bad: false }]])),
            attempts: [{ startMinute: 61, listDelayMinutes: 1, commitDelayMinutes: 0, outcome: "ok", retries: [] }],
        };
        assert.equal(violation(s, replay(s, rule)), undefined);
        assert.match(String(violation(s, replay(s, { ...rule, closeAfter: () => 0 }))), /h0-late\.parquet .* was skipped/);
    });

    it("negative control: without removing an earlier attempt's leftovers, a crash between write and commit leaves orphans", () => {
        const found = fc.check(
            fc.property(scenario, (s) => violation(s, replay(s, { ...rule, cleanLeftovers: false })) === undefined),
            { numRuns: 400, seed: 42 },
        );
        assert.ok(found.failed, "the replay must catch a retry that leaves the earlier attempt's files");
    });

    it("negative control: a blind append instead of the idempotent MERGE, retried after a crash past the write, leaves a key twice", () => {
        const found = fc.check(
            fc.property(scenario, (s) => violation(s, replay(s, { ...rule, write: "append" })) === undefined),
            { numRuns: 400, seed: 42 },
        );
        assert.ok(found.failed, "the replay must catch a write that is not safe to repeat");
    });

    it("a MERGE that committed while the run's transaction did not is safe to run again: the retry leaves the table as one run would", () => {
        const world: World = { raw: [], curated: new Set(), committed: new Map() };
        const batch = [
            { key: 1, event: 3 },
            { key: 2, event: 1 },
        ];
        mergeBatch(world, batch);
        const once = JSON.stringify([...world.table!]);
        mergeBatch(world, batch);
        assert.equal(JSON.stringify([...world.table!]), once);
        mergeBatch(world, [{ key: 1, event: 2 }]);
        assert.deepEqual(world.table!.get(1), [3], "an older event never replaces a newer one");
    });

    it("a retried attempt never takes another attempt's staged files as its own", () => {
        const world: World = { raw: [{ key: "orders/a.parquet", hour: T0, landedAt: T0, rows: 1 }], curated: new Set(), committed: new Map() };
        const first = startRun(world, DOMAIN, "jr_1", T0 + 2 * HOUR_MS, 900, 24, T0);
        listInput(world, first, first.startedAt);
        stageOutput(world, first);
        placeOutput(world, first);
        // Crash: Glue retries as a new run id, which removes the leftovers before it reads.
        const retry = startRun(world, DOMAIN, "jr_1_attempt_1", T0 + 2 * HOUR_MS + 60_000, 900, 24, T0);
        assert.deepEqual([...world.curated], [], "the first attempt's staged and placed files and manifest are gone");
        listInput(world, retry, retry.startedAt);
        stageOutput(world, retry);
        const placed = placeOutput(world, retry);
        assert.ok(placed.every((k) => k.includes("jr_1_attempt_1")));
        assert.equal(commitRun(world, retry, placed, { rawIn: 1, curated: 1, quarantined: 0, duplicates: 0 }), true);
        finishRun(world, retry);
        cleanLeftovers(world, DOMAIN, "jr_2");
        assert.deepEqual([...world.curated].sort(), [...placed, manifestKey(DOMAIN, "jr_1_attempt_1")].sort());
    });

    it("a commit whose watermark moved since the run started writes nothing", () => {
        const world: World = { raw: [], curated: new Set(), committed: new Map(), watermark: { hour: T0, runId: "jr_0" } };
        const run: Run = { domain: DOMAIN, runId: "jr_9", startedAt: T0, from: T0 - HOUR_MS, hours: [T0], files: [], staged: [] };
        assert.equal(commitRun(world, run, [], { rawIn: 0, curated: 0, quarantined: 0, duplicates: 0 }), false);
        assert.deepEqual(world.watermark, { hour: T0, runId: "jr_0" });
    });
});
