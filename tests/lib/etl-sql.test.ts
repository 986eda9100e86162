import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { type ContractDomain, contractRules, curatedColumns, etlContract, FAILED_RULES_COLUMN, isReservedWord, qualityRuleset, RESERVED_WORDS, SOURCE_VIEW, sqlType, transformSql } from "../../lib/etl-sql";
import { partitionKeys } from "../../lib/layout";
import { warehouseDomain } from "../../lib/warehouse-sql";
import { literal, openDuckDb, query } from "../helpers/duckdb";
import { arrivedAt, declaredDomains, domainsUnderTest, eventAt, keyValue, plainColumn, type RawRecord, record, registerRaw, validValue, writeRaw } from "../helpers/lake-rows";

/** How DuckDB names the types the SQL casts to, as a Parquet file read back reports them. */
const DUCKDB_TYPE: Record<string, string> = { STRING: "VARCHAR", INT: "INTEGER", BIGINT: "BIGINT", DOUBLE: "DOUBLE", BOOLEAN: "BOOLEAN", TIMESTAMP: "TIMESTAMP", DATE: "DATE" };
const duckdbType = (glueType: string) => DUCKDB_TYPE[sqlType(glueType)] ?? sqlType(glueType);

/** The runs' records of every scenario, and what the curated zone and the quarantine must then hold. */
function scenarios(domain: ContractDomain) {
    const records: RawRecord[] = [];
    const eventRequired = domain.columns.find((c) => c.name === domain.eventTime)!.nullable === false;
    const key = domain.primaryKey[0];
    const keyColumn = domain.columns.find((c) => c.name === key)!;
    const varying = plainColumn(domain, (c) => c.name !== domain.partitionKey && sqlType(c.type) === "STRING") ?? plainColumn(domain)!;
    // 1: a newer event replaces an older one of the same key.
    records.push(record(domain, 1, 8, arrivedAt(8)), record(domain, 1, 9, arrivedAt(9)));
    // 2: a late event (arriving the next day) never replaces a newer one; the curated row keeps the winner's arrival day.
    records.push(record(domain, 2, 10, arrivedAt(10)), record(domain, 2, 7, arrivedAt(1, 1, 12)));
    // 3: the same record delivered twice, in two files.
    records.push(record(domain, 3, 11, arrivedAt(11), {}, { file: "part-a" }), record(domain, 3, 11, arrivedAt(11), {}, { file: "part-b" }));
    // 4: two versions with the same event time: the later arrival wins, on every run.
    records.push(record(domain, 4, 12, arrivedAt(12), { [varying.name]: validValue(varying, 40) }), record(domain, 4, 12, arrivedAt(13), { [varying.name]: validValue(varying, 41) }));
    // 5: a version without an event time never replaces a timed one.
    records.push(record(domain, 5, 6, arrivedAt(6)), record(domain, 5, null, arrivedAt(14)));
    // 6: only versions without an event time: quarantined when the event time is required, else the later arrival.
    records.push(record(domain, 6, null, arrivedAt(6), { [varying.name]: validValue(varying, 60) }), record(domain, 6, null, arrivedAt(7), { [varying.name]: validValue(varying, 61) }));
    // 7: a version failing the contract is quarantined; the latest valid one is curated.
    const bounded = domain.columns.find((c) => c.min !== undefined || c.max !== undefined);
    const outOfBounds = bounded && (bounded.min !== undefined ? String(bounded.min - 1) : String(bounded.max! + 1));
    if (bounded) records.push(record(domain, 7, 8, arrivedAt(8)), record(domain, 7, 9, arrivedAt(9), { [bounded.name]: outOfBounds! }));
    // 8: a required column without a value (not a partition key: Firehose cannot route a record without it).
    const required = domain.columns.find((c) => c.nullable === false && !domain.primaryKey.includes(c.name) && c.name !== domain.eventTime && c.name !== domain.partitionKey);
    if (required) records.push(record(domain, 8, 8, arrivedAt(8), { [required.name]: null }));
    // 9: a record without its key.
    records.push(record(domain, 9, 8, arrivedAt(8), { [key]: null }));
    // 10, 11: a file whose typed column was written as text: a value of the declared type is cast, another is quarantined.
    const typedColumn = plainColumn(domain, (c) => sqlType(c.type) !== "STRING" && sqlType(c.type) !== "TIMESTAMP");
    if (typedColumn) {
        records.push(record(domain, 10, 8, arrivedAt(15), { [typedColumn.name]: "not-a-value" }, { file: "drifted", storedAs: { [typedColumn.name]: "STRING" } }));
        records.push(record(domain, 11, 8, arrivedAt(15), { [typedColumn.name]: validValue(typedColumn, 11) }, { file: "drifted", storedAs: { [typedColumn.name]: "STRING" } }));
    }
    return { records, eventRequired, key, keyColumn, varying, bounded, outOfBounds, required, typedColumn };
}

describe("the job's transformation SQL, run on DuckDB over the raw layout", () => {
    let db: DuckDBConnection;
    let workdir: string;
    before(async () => {
        db = await openDuckDb();
        workdir = fs.mkdtempSync(path.join(os.tmpdir(), "etl-sql-"));
    });
    after(() => fs.rmSync(workdir, { recursive: true, force: true }));

    for (const { label, domain } of domainsUnderTest()) {
        describe(label, () => {
            const s = scenarios(domain);
            let curated: Record<string, unknown>[];
            let quarantined: Record<string, unknown>[];
            const root = () => path.join(workdir, label.replace(/\W+/g, "-"));
            const byKey = (rows: Record<string, unknown>[], key: number) => rows.filter((r) => r[s.key] === keyValue(s.keyColumn, key));
            const timeOf = (value: unknown) => (value === null ? null : String(value).slice(0, 19));

            before(async () => {
                await writeRaw(db, root(), domain, s.records);
                await registerRaw(db, root(), domain);
                const sql = transformSql(domain);
                curated = await query(db, sql.curated);
                quarantined = await query(db, sql.quarantine);
            });

            it("returns the declared columns in declared order, and no arrival partition column", async () => {
                const described = await query(db, `DESCRIBE ${transformSql(domain).curated}`);
                assert.deepEqual(
                    described.map((c) => c.column_name),
                    curatedColumns(domain),
                );
                assert.deepEqual(
                    described.slice(0, domain.columns.length).map((c) => c.column_type),
                    domain.columns.map((c) => duckdbType(c.type)),
                    "every value is of its declared type",
                );
            });

            it("keeps a partitioned domain's key field from the files, not the path (the path holds the bounded level)", () => {
                if (!domain.partitionKey) return;
                const raw = s.records.filter((r) => r.values[domain.partitionKey!] !== null);
                for (const row of curated) {
                    assert.ok(
                        raw.some((r) => r.values[domain.partitionKey!] === row[domain.partitionKey!]),
                        `${domain.partitionKey} = ${row[domain.partitionKey!]} is a value of the raw paths`,
                    );
                    assert.notEqual(row[domain.partitionKey!], null);
                }
            });

            it("keeps the latest event of each key, whatever the order the versions arrived in", () => {
                assert.equal(timeOf(byKey(curated, 1)[0][domain.eventTime]), eventAt(9));
                const late = byKey(curated, 2);
                assert.equal(late.length, 1);
                assert.equal(timeOf(late[0][domain.eventTime]), eventAt(10), "the late, older event does not replace the newer one");
                assert.deepEqual(Object.keys(late[0]), curatedColumns(domain), "no arrival day: the table partitions a row by its event day");
            });

            it("keeps one row of a record delivered twice, and breaks equal event times by the later arrival", () => {
                assert.equal(byKey(curated, 3).length, 1);
                assert.equal(byKey(curated, 4)[0][s.varying.name], validValue(s.varying, 41));
                const keys = curated.map((r) => domain.primaryKey.map((k) => r[k]).join("|"));
                assert.equal(new Set(keys).size, keys.length, "one row per primary key");
            });

            it("never lets a version without an event time replace a timed one, and quarantines it when the event time is required", () => {
                assert.equal(timeOf(byKey(curated, 5)[0][domain.eventTime]), eventAt(6));
                const untimed = byKey(curated, 6);
                if (s.eventRequired) {
                    assert.equal(untimed.length, 0);
                    assert.equal(byKey(quarantined, 6).length, 2);
                    assert.equal(byKey(quarantined, 5).length, 1);
                    for (const row of [...byKey(quarantined, 5), ...byKey(quarantined, 6)]) assert.equal(row[FAILED_RULES_COLUMN], `IsComplete "${domain.eventTime}"`);
                } else {
                    assert.equal(untimed.length, 1);
                    assert.equal(untimed[0][domain.eventTime], null);
                    assert.equal(untimed[0][s.varying.name], validValue(s.varying, 61), "of two untimed versions, the later arrival");
                    assert.equal(byKey(quarantined, 5).length + byKey(quarantined, 6).length, 0);
                }
            });

            it("quarantines every row failing the contract, with the rules it fails, and curates the latest valid version", () => {
                if (s.bounded) {
                    const bad = byKey(quarantined, 7);
                    assert.equal(bad.length, 1);
                    assert.equal(Number(bad[0][s.bounded.name]), Number(s.outOfBounds), "the value as it came");
                    assert.match(String(bad[0][FAILED_RULES_COLUMN]), new RegExp(`^ColumnValues "${s.bounded.name}" [<>]= `));
                    assert.equal(timeOf(byKey(curated, 7)[0][domain.eventTime]), eventAt(8), "the older valid version is curated");
                }
                if (s.required) {
                    assert.equal(byKey(curated, 8).length, 0);
                    assert.equal(byKey(quarantined, 8)[0][FAILED_RULES_COLUMN], `IsComplete "${s.required.name}"`);
                }
                const keyless = quarantined.filter((r) => r[s.key] === null);
                assert.equal(keyless.length, 1, "a record without its key is quarantined, not deduplicated");
                assert.match(String(keyless[0][FAILED_RULES_COLUMN]), new RegExp(`IsComplete "${s.key}"`));
                assert.ok(
                    curated.every((r) => domain.primaryKey.every((k) => r[k] !== null)),
                    "no curated row lacks its key",
                );
            });

            it("casts values to their declared types, and quarantines a value that is not of its type", () => {
                if (!s.typedColumn) return;
                const cast = byKey(curated, 11)[0];
                assert.equal(String(cast[s.typedColumn.name]), validValue(s.typedColumn, 11));
                const bad = byKey(quarantined, 10);
                assert.equal(bad.length, 1);
                assert.equal(bad[0][s.typedColumn.name], "not-a-value");
                assert.equal(bad[0][FAILED_RULES_COLUMN], `${s.typedColumn.name} is not a ${s.typedColumn.type}`);
                assert.equal(byKey(curated, 10).length, 0);
            });

            it("quarantines rows with their declared columns as text and the arrival day they are partitioned by", async () => {
                const described = await query(db, `DESCRIBE ${transformSql(domain).quarantine}`);
                assert.deepEqual(
                    described.map((c) => [c.column_name, c.column_type]),
                    [...domain.columns.map((c) => [c.name, "VARCHAR"]), ...partitionKeys(domain, "curated").map((k) => [k, "VARCHAR"]), [FAILED_RULES_COLUMN, "VARCHAR"]],
                );
            });

            it("writes the run's change set as Parquet files the warehouse COPY maps by position: the declared columns, in order, of their declared types", async () => {
                const out = path.join(root(), "changes");
                fs.mkdirSync(out, { recursive: true });
                await db.run(`COPY (${transformSql(domain).curated}) TO ${literal(path.join(out, "part-0.parquet"))} (FORMAT parquet)`);
                const files = fs.readdirSync(out, { recursive: true }).map(String).filter((f) => f.endsWith(".parquet"));
                assert.ok(files.length > 0);
                for (const file of files) {
                    const schema = await query(db, `DESCRIBE SELECT * FROM read_parquet(${literal(path.join(out, file))}, hive_partitioning = false)`);
                    assert.deepEqual(
                        schema.map((c) => [c.column_name, c.column_type]),
                        domain.columns.map((c) => [c.name, duckdbType(c.type)]),
                    );
                    assert.deepEqual(
                        schema.map((c) => c.column_name),
                        warehouseDomain(domain).columns.map((c) => c.name),
                        "the warehouse table's column order",
                    );
                }
                const reread = await query(db, `SELECT count(*) AS n FROM read_parquet(${literal(path.join(out, "**", "*.parquet"))}, hive_partitioning = false)`);
                assert.equal(Number(reread[0].n), curated.length);
            });
        });
    }
});

describe("the domain contract", () => {
    const clickstream = etlContract(declaredDomains("prod").find((d) => d.name === "clickstream")!);

    it("states the same rules to Glue Data Quality and to the row split", () => {
        const ruleset = qualityRuleset(clickstream);
        for (const rule of contractRules(clickstream)) {
            if (rule.dqdl) assert.ok(ruleset.includes(rule.dqdl), rule.dqdl);
            if (rule.scope === "row") assert.ok(rule.passes, `${rule.label} has a row predicate`);
        }
        assert.match(ruleset, /IsComplete "event_id"/);
        assert.match(ruleset, /IsUnique "event_id"/);
        // DQDL's ColumnValues fails NULL rows; a nullable bounded column must not fail a run over them.
        // Not as a composite rule: DQDL judges each half over the whole column, so a batch mixing NULLs
        // and values would fail both halves; a where clause leaves the NULLs out of the rule.
        assert.match(ruleset, /ColumnValues "duration_ms" >= 0 where "duration_ms is not null"/);
        assert.match(ruleset, /ColumnValues "duration_ms" <= 86400000 where "duration_ms is not null"/);
        assert.doesNotMatch(ruleset, /\) OR \(/, "no composite rule");
        assert.ok(!ruleset.includes('IsComplete "user_id"'));
        assert.match(qualityRuleset({ primaryKey: ["a", "b"], columns: [] }), /IsPrimaryKey "a" "b"/);
    });

    it("reads every column of the source view unquoted", () => {
        const sql = transformSql(clickstream);
        assert.ok(!/[`"]\w+[`"]\s*(,|AS|FROM)/.test(sql.curated.replace(/'[^']*'/g, "''")), "no quoted identifiers outside string literals");
        assert.match(sql.curated, new RegExp(`FROM ${SOURCE_VIEW}\\)`));
    });

    it("refuses names that are reserved in Spark SQL or in the DuckDB the tests run", async () => {
        const db = await openDuckDb();
        const keywords = await query(db, "SELECT keyword_name FROM duckdb_keywords() WHERE keyword_category IN ('reserved', 'type_function')");
        const missing = keywords.map((k) => String(k.keyword_name)).filter((k) => !RESERVED_WORDS.has(k));
        assert.deepEqual(missing, [], "DuckDB keywords a column could not be named");
        for (const word of ["select", "order", "left", "join", "using", "user", "anti", "try_cast"]) assert.ok(isReservedWord(word), word);
        for (const word of ["event_time", "year", "type", "value", "amount"]) assert.ok(!isReservedWord(word), word);
    });

    it("keeps the real value of a record Firehose routed to the _other partition", async () => {
        const domain = domainsUnderTest().find((d) => d.domain.partitionKey)?.domain;
        assert.ok(domain, "a shipped domain is partitioned by a field");
        const key = domain.partitionKey!;
        const db = await openDuckDb();
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "etl-sql-other-"));
        try {
            await writeRaw(db, root, domain, [record(domain, 1, 8, arrivedAt(8), { [key]: "bot_ping" }, { partitionValue: "_other" })]);
            assert.ok(fs.existsSync(path.join(root, domain.name, `${key}_partition=_other`)), "the record lands under the overflow level");
            await registerRaw(db, root, domain);
            const rows = await query(db, transformSql(domain).curated);
            assert.deepEqual(rows.map((r) => r[key]), ["bot_ping"]);
        } finally {
            fs.rmSync(root, { recursive: true, force: true });
        }
    });

    it("runs with columns named after DuckDB's other keywords", async () => {
        const db = await openDuckDb();
        const keywords = (await query(db, "SELECT keyword_name FROM duckdb_keywords() WHERE keyword_category IN ('unreserved', 'column_name') ORDER BY 1"))
            .map((k) => String(k.keyword_name))
            .filter((k) => /^[a-z][a-z0-9_]{1,30}$/.test(k) && !isReservedWord(k) && !["year", "month", "day", "hour"].includes(k));
        const domain: ContractDomain = {
            name: "keywords",
            columns: [{ name: "id", type: "string", nullable: false }, { name: "happened", type: "timestamp" }, ...keywords.map((k) => ({ name: k, type: "bigint", min: 0 }))],
            primaryKey: ["id"],
            eventTime: "happened",
        };
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "etl-sql-keywords-"));
        try {
            await writeRaw(db, root, domain, [record(domain, 1, 8, arrivedAt(8)), record(domain, 1, 9, arrivedAt(9))]);
            await registerRaw(db, root, domain);
            assert.equal((await query(db, transformSql(domain).curated)).length, 1);
            assert.equal((await query(db, transformSql(domain).quarantine)).length, 0);
        } finally {
            fs.rmSync(root, { recursive: true, force: true });
        }
    });
});
