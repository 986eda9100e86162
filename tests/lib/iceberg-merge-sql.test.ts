import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { type ContractDomain, sqlType } from "../../lib/etl-sql";
import { BATCH_VIEW, EVENT_DAY_COLUMN, icebergMergeSql, type MergeDomain, renderMerge, targetDaysPredicate } from "../../lib/iceberg-merge-sql";
import { literal, openDuckDb, query } from "../helpers/duckdb";
import { type Arrival, arrivedAt, domainsUnderTest, keyValue, plainColumn, type RawRecord, record, registerRaw, validValue, writeRaw } from "../helpers/lake-rows";

/** The domains the merge runs on: a stack's orders with an operation column, its clickstream (partitioned raw, no deletes), and a nullable event time with a two-column key and deletes. */
function mergeDomains(): { label: string; domain: MergeDomain }[] {
    const all = domainsUnderTest();
    const orders = all.find((d) => d.label === "prod orders")!.domain;
    const clickstream = all.find((d) => d.label === "prod clickstream")!.domain;
    const nullable = all.find((d) => d.label.includes("nullable"))!.domain;
    const withOperation = (d: ContractDomain): MergeDomain => ({ ...d, columns: [...d.columns, { name: "change_op", type: "string" }], operation: { column: "change_op", deleteValues: ["D", "delete"] } });
    return [
        { label: "prod orders with an operation column", domain: withOperation(orders) },
        { label: "prod clickstream (no operation column, hot keys)", domain: { ...clickstream, hotKeyBuckets: 16 } },
        { label: "a nullable event time, a two-column key and an operation column", domain: withOperation(nullable) },
    ];
}

const at = (day: number, hour: number, minute = 0) => `2026-11-${String(day).padStart(2, "0")} ${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}:00`;

describe("the curated MERGE (lib/iceberg-merge-sql.ts), run on DuckDB over runs of raw Parquet", () => {
    let db: DuckDBConnection;
    let workdir: string;
    before(async () => {
        db = await openDuckDb();
        workdir = fs.mkdtempSync(path.join(os.tmpdir(), "iceberg-merge-"));
    });
    after(() => fs.rmSync(workdir, { recursive: true, force: true }));

    it("substitutes the placeholders by one rule: the target, each touched day as a range of the event time, NULL as IS NULL, none as FALSE", () => {
        const sql = icebergMergeSql(mergeDomains()[0].domain);
        assert.equal(
            targetDaysPredicate(sql, ["2026-12-31", null, "2026-02-28", "2026-12-31"]),
            "(t.ordered_at >= TIMESTAMP '2026-02-28 00:00:00' AND t.ordered_at < TIMESTAMP '2026-03-01 00:00:00') OR (t.ordered_at >= TIMESTAMP '2026-12-31 00:00:00' AND t.ordered_at < TIMESTAMP '2027-01-01 00:00:00') OR t.ordered_at IS NULL",
        );
        assert.equal(targetDaysPredicate(sql, []), "FALSE");
        const merge = renderMerge(sql.merge, sql, "glue_catalog.db.orders", ["2026-11-30"]);
        assert.match(merge, /^MERGE INTO glue_catalog\.db\.orders AS t USING batch_rows AS s ON t\.order_id = s\.order_id AND \(\(t\.ordered_at >= TIMESTAMP '2026-11-30 00:00:00' AND t\.ordered_at < TIMESTAMP '2026-12-01 00:00:00'\)\) /);
        assert.doesNotMatch(merge, /\{\{|\*/, "every placeholder substituted, every column listed");
        assert.throws(() => targetDaysPredicate(sql, ["30/11/2026"]), /YYYY-MM-DD/);
    });

    it("refuses an operation column that is not a declared string column, no delete value, and hotKeyBuckets outside 2..1024", () => {
        const [orders] = mergeDomains();
        assert.throws(() => icebergMergeSql({ ...orders.domain, operation: { column: "amount", deleteValues: ["D"] } }), /operation\.column: got amount; expected a declared string column/);
        assert.throws(() => icebergMergeSql({ ...orders.domain, operation: { column: "nope", deleteValues: ["D"] } }), /operation\.column: got nope/);
        assert.throws(() => icebergMergeSql({ ...orders.domain, operation: { column: "change_op", deleteValues: [] } }), /operation\.deleteValues/);
        for (const n of [1, 1025, 2.5]) assert.throws(() => icebergMergeSql({ ...orders.domain, hotKeyBuckets: n }), /hotKeyBuckets: got/);
    });

    for (const [index, { label, domain }] of mergeDomains().entries()) {
        describe(label, () => {
            const sql = icebergMergeSql(domain);
            const key = domain.primaryKey[0];
            const keyColumn = domain.columns.find((c) => c.name === key)!;
            const ev = domain.eventTime;
            const op = domain.operation?.column;
            const varying = plainColumn(domain, (c) => c.name !== domain.partitionKey && c.name !== op && sqlType(c.type) === "STRING")!;
            const eventNullable = domain.columns.find((c) => c.name === ev)!.nullable !== false;
            let tables = 0;
            let runs = 0;

            /** A version of key `n`: its event (null: none), a tag telling versions apart, when it arrived, and its operation. */
            const version = (n: number, event: string | null, tag: number, arrival: Arrival, operation?: string): RawRecord =>
                record(domain, n, 0, arrival, { [ev]: event, [varying.name]: validValue(varying, tag), ...(op ? { [op]: operation ?? "U" } : {}) });

            /** A fresh empty table shaped as the Iceberg table (declared columns, declared types). */
            async function freshTable(): Promise<string> {
                const name = `curated_${index}_${tables++}`;
                await db.run(`CREATE TABLE ${name} (${domain.columns.map((c) => `${c.name} ${sqlType(c.type)}`).join(", ")})`);
                return name;
            }

            /** One run as the job runs it: raw Parquet, the batch, the touched days, the MERGE. */
            async function run(target: string, records: RawRecord[], options: { lookup?: boolean } = {}): Promise<(string | null)[]> {
                const root = path.join(workdir, `${index}-run-${runs++}`);
                await writeRaw(db, root, domain, records);
                await registerRaw(db, root, domain);
                await db.run(`CREATE OR REPLACE TABLE ${BATCH_VIEW} AS ${sql.batch}`);
                const touched = (await query(db, renderMerge(sql.touchedDays, sql, target))).map((r) => (r[EVENT_DAY_COLUMN] === null ? null : String(r[EVENT_DAY_COLUMN])));
                const days = options.lookup === false ? (await query(db, `SELECT DISTINCT CAST(${ev} AS DATE) AS d FROM ${BATCH_VIEW}`)).map((r) => (r.d === null ? null : String(r.d))) : touched;
                await db.run(renderMerge(sql.merge, sql, target, days));
                return touched;
            }
            const rows = (target: string) => query(db, `SELECT * FROM ${target} ORDER BY ${domain.primaryKey.join(", ")}`);
            const rowsOf = async (target: string, n: number) => (await rows(target)).filter((r) => r[key] === keyValue(keyColumn, n));
            const timeOf = (value: unknown) => (value === null ? null : String(value).slice(0, 19));

            it("holds the declared columns only, typed as declared (no arrival partition column)", async () => {
                await run(await freshTable(), [version(1, at(30, 8), 10, arrivedAt(8))]);
                const described = await query(db, `DESCRIBE ${BATCH_VIEW}`);
                assert.deepEqual(
                    described.map((c) => c.column_name),
                    domain.columns.map((c) => c.name),
                );
                assert.deepEqual(
                    described.map((c) => String(c.column_type).replace("VARCHAR", "STRING").replace("INTEGER", "INT")),
                    domain.columns.map((c) => sqlType(c.type)),
                );
            });

            it("rerunning the same batch leaves the table identical", async () => {
                const target = await freshTable();
                const batch = [version(1, at(30, 8), 10, arrivedAt(8)), version(2, at(29, 9), 20, arrivedAt(9)), version(3, at(28, 7), 30, arrivedAt(1, 30)), ...(op ? [version(4, at(30, 6), 40, arrivedAt(8), "D")] : [])];
                await run(target, batch);
                const once = await rows(target);
                assert.equal(once.length, 3, "three keys, the delete of an absent key inserts nothing");
                await run(target, batch);
                assert.deepEqual(await rows(target), once);
                await run(target, [...batch].reverse());
                assert.deepEqual(await rows(target), once, "whatever the order of the raw rows");
            });

            it("a late event lands in its event day, and a new version matches its key's version in an older day", async () => {
                const target = await freshTable();
                await run(target, [version(1, at(27, 10), 10, arrivedAt(10, 27))]);
                // Key 2 happened on the 28th but arrives on the 30th; key 1's new version is on the 30th.
                const touched = await run(target, [version(2, at(28, 23), 20, arrivedAt(2, 30)), version(1, at(30, 1), 11, arrivedAt(2, 30))]);
                assert.deepEqual(touched, ["2026-11-27", "2026-11-28", "2026-11-30"], "the batch's days and the day key 1 lived in");
                const late = await rowsOf(target, 2);
                assert.equal(timeOf(late[0][ev]), at(28, 23));
                const updated = await rowsOf(target, 1);
                assert.equal(updated.length, 1, "one row per key");
                assert.equal(updated[0][varying.name], validValue(varying, 11));
                // Written as Iceberg partitions it (days(event time)), the late row lies in its event day.
                const out = path.join(workdir, `${index}-partitioned-${tables}`);
                await db.run(`COPY (SELECT *, CAST(${ev} AS DATE) AS ${EVENT_DAY_COLUMN} FROM ${target}) TO ${literal(out)} (FORMAT parquet, PARTITION_BY (${EVENT_DAY_COLUMN}))`);
                const [file] = await query(db, `SELECT filename FROM read_parquet(${literal(path.join(out, "**", "*.parquet"))}, filename = true, hive_partitioning = false) WHERE ${key} = ${literal(keyValue(keyColumn, 2))}`);
                assert.match(String(file.filename), /event_day=2026-11-28/);
            });

            it("negative control: the bounded predicate without the lookup of the days keys live in inserts a key twice", async () => {
                const target = await freshTable();
                await run(target, [version(1, at(27, 10), 10, arrivedAt(10, 27))]);
                await run(target, [version(1, at(30, 1), 11, arrivedAt(2, 30))], { lookup: false });
                assert.equal((await rowsOf(target, 1)).length, 2);
            });

            it("a newer event wins, an older or equal one loses", async () => {
                const target = await freshTable();
                await run(target, [version(1, at(30, 10), 10, arrivedAt(10))]);
                await run(target, [version(1, at(30, 9), 9, arrivedAt(11))]);
                assert.equal((await rowsOf(target, 1))[0][varying.name], validValue(varying, 10), "older loses");
                await run(target, [version(1, at(30, 10), 99, arrivedAt(12))]);
                assert.equal((await rowsOf(target, 1))[0][varying.name], validValue(varying, 10), "equal keeps the table's row");
                await run(target, [version(1, at(30, 11), 11, arrivedAt(12))]);
                const [row] = await rowsOf(target, 1);
                assert.equal(row[varying.name], validValue(varying, 11), "newer wins");
                assert.equal(timeOf(row[ev]), at(30, 11));
            });

            if (eventNullable)
                it("a version without an event time is older than any timed one", async () => {
                    const target = await freshTable();
                    await run(target, [version(1, null, 10, arrivedAt(8))]);
                    await run(target, [version(1, at(30, 1), 11, arrivedAt(9))]);
                    assert.equal((await rowsOf(target, 1))[0][varying.name], validValue(varying, 11), "timed replaces untimed");
                    await run(target, [version(1, null, 12, arrivedAt(10))]);
                    const after = await rowsOf(target, 1);
                    assert.equal(after.length, 1);
                    assert.equal(after[0][varying.name], validValue(varying, 11), "untimed never replaces timed");
                });

            if (op)
                it("a delete not older than the row deletes its key; an older one does nothing; a delete of an absent key inserts nothing", async () => {
                    const target = await freshTable();
                    await run(target, [version(1, at(30, 10), 10, arrivedAt(10)), version(2, at(30, 10), 20, arrivedAt(10)), version(3, at(29, 10), 30, arrivedAt(10))]);
                    await run(target, [version(1, at(30, 11), 0, arrivedAt(11), "D"), version(2, at(30, 9), 0, arrivedAt(11), "delete"), version(3, at(29, 10), 0, arrivedAt(11), "D"), version(4, at(30, 11), 0, arrivedAt(11), "D")]);
                    const left = await rows(target);
                    assert.deepEqual(
                        left.map((r) => r[key]),
                        [keyValue(keyColumn, 2)],
                        "key 1 (newer delete) and key 3 (delete at the same event) are gone, key 2 (older delete) stays, key 4 never appears",
                    );
                    assert.equal(left[0][varying.name], validValue(varying, 20));
                    // A NULL operation is no delete: the version is inserted.
                    await run(target, [record(domain, 5, 0, arrivedAt(12), { [ev]: at(30, 12), [op]: null })]);
                    assert.equal((await rowsOf(target, 5)).length, 1);
                });
        });
    }
});
