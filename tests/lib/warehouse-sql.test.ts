import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { type ContractDomain, transformSql } from "../../lib/etl-sql";
import { createTableSql, LOADER, loadBatch, REDSHIFT, redshiftType, schemaStatements, targetTable, type WarehouseDialect, warehouseDomain } from "../../lib/warehouse-sql";
import { literal, query } from "../helpers/duckdb";
import { arrivedAt, type CuratedRun, domainsUnderTest, eventAt, localPath, plainColumn, record, validValue, writeCuratedRun } from "../helpers/lake-rows";

const orders = warehouseDomain({
    name: "orders",
    columns: [
        { name: "order_id", type: "string", nullable: false },
        { name: "customer_id", type: "string" },
        { name: "amount", type: "decimal(12,2)" },
        { name: "ordered_at", type: "timestamp", nullable: false },
    ],
    primaryKey: ["order_id"],
    warehouse: { distKey: "customer_id" },
});

describe("warehouse SQL", () => {
    it("maps every column type a domain may declare to a Redshift type", () => {
        assert.deepEqual(
            ["string", "int", "bigint", "double", "boolean", "timestamp", "date", "decimal(12,2)"].map(redshiftType),
            ["VARCHAR(65535)", "INTEGER", "BIGINT", "DOUBLE PRECISION", "BOOLEAN", "TIMESTAMP", "DATE", "DECIMAL(12,2)"],
        );
        assert.throws(() => redshiftType("map<string,string>"), /no Redshift type for the column type map<string,string>/);
    });

    it("creates each domain table with its columns, keys, distribution and sort keys", () => {
        assert.equal(
            createTableSql(orders),
            'CREATE TABLE IF NOT EXISTS lake.orders ("order_id" VARCHAR(65535) NOT NULL, "customer_id" VARCHAR(65535), "amount" DECIMAL(12,2), "ordered_at" TIMESTAMP NOT NULL, PRIMARY KEY ("order_id")) DISTSTYLE KEY DISTKEY ("customer_id") COMPOUND SORTKEY ("ordered_at")',
        );
    });

    it("distributes by the first primary-key column and sorts by event time unless the domain says otherwise", () => {
        const defaults = warehouseDomain({ name: "d", columns: [{ name: "id", type: "string" }, { name: "at", type: "timestamp" }], primaryKey: ["id"] });
        assert.equal(defaults.distKey, "id");
        assert.deepEqual(defaults.sortKeys, ["at"]);
        const declared = warehouseDomain({ name: "d", columns: defaults.columns, primaryKey: ["id"], warehouse: { sortKeys: ["id", "at"] } });
        assert.deepEqual(declared.sortKeys, ["id", "at"]);
    });

    it("creates the schema, tables, loader and grants with statements that can run again", () => {
        for (const kind of ["cluster", "serverless"] as const) {
            const statements = schemaStatements([orders], kind, "lakehouse");
            assert.deepEqual(
                statements.map((s) => s.id),
                ["schema", "table-orders", "loader-procedure", "loader", "grant-schema", "grant-temp", "grant-orders"],
            );
            for (const { sql } of statements) assert.match(sql, /^(CREATE SCHEMA IF NOT EXISTS|CREATE TABLE IF NOT EXISTS|CREATE OR REPLACE PROCEDURE|CALL|GRANT) /, sql);
        }
        const cluster = schemaStatements([orders], "cluster", "lakehouse");
        assert.match(cluster[2].sql, new RegExp(`FROM pg_user WHERE usename = '${LOADER}'; IF found = 0 THEN EXECUTE 'CREATE USER ${LOADER} PASSWORD DISABLE'`));
        assert.equal(cluster[6].sql, `GRANT SELECT, INSERT, DELETE ON lake.orders TO ${LOADER}`);
        const serverless = schemaStatements([orders], "serverless", "lakehouse");
        assert.match(serverless[2].sql, new RegExp(`FROM svv_roles WHERE role_name = '${LOADER}'; IF found = 0 THEN EXECUTE 'CREATE ROLE ${LOADER}'`));
        assert.equal(serverless[5].sql, `GRANT TEMP ON DATABASE "lakehouse" TO ROLE ${LOADER}`);
    });

    describe("the load of a run (text Redshift receives)", () => {
        const manifest = "s3://curated/orders/_manifests/jr_1.manifest";
        const batch = (url: string) => loadBatch(orders, url, "arn:aws:iam::123456789012:role/lake");

        it("stages exactly the manifest's files, then deletes and inserts in one batch", () => {
            const statements = batch(manifest);
            assert.equal(statements.length, 4);
            assert.equal(statements[0], "CREATE TEMP TABLE stage_orders (LIKE lake.orders)");
            assert.equal(statements[1], `COPY stage_orders FROM '${manifest}' IAM_ROLE 'arn:aws:iam::123456789012:role/lake' FORMAT AS PARQUET MANIFEST`);
        });

        it("matches every primary-key column", () => {
            const [, , remove, insert] = loadBatch({ name: "orders", primaryKey: ["order_id", "line"], eventTime: "ordered_at" }, manifest, "arn:r");
            assert.equal(
                remove,
                `DELETE FROM lake.orders USING stage_orders WHERE lake.orders."order_id" = stage_orders."order_id" AND lake.orders."line" = stage_orders."line" AND COALESCE(lake.orders."ordered_at", '1970-01-01'::TIMESTAMP) < COALESCE(stage_orders."ordered_at", '1970-01-01'::TIMESTAMP)`,
            );
            assert.equal(
                insert,
                'INSERT INTO lake.orders SELECT stage_orders.* FROM stage_orders LEFT JOIN lake.orders ON lake.orders."order_id" = stage_orders."order_id" AND lake.orders."line" = stage_orders."line" WHERE lake.orders."order_id" IS NULL',
            );
        });

        it("deletes a key when the staged row's operation is a delete not older than the row, and never inserts a delete", () => {
            const [, , remove, insert] = loadBatch({ name: "orders", primaryKey: ["order_id"], eventTime: "ordered_at", operation: { column: "op", deleteValues: ["D", "it's"] } }, manifest, "arn:r");
            const deletes = `COALESCE(stage_orders."op" IN ('D', 'it''s'), FALSE)`;
            assert.ok(remove.endsWith(`AND (COALESCE(lake.orders."ordered_at", '1970-01-01'::TIMESTAMP) < COALESCE(stage_orders."ordered_at", '1970-01-01'::TIMESTAMP) OR (${deletes} AND COALESCE(lake.orders."ordered_at", '1970-01-01'::TIMESTAMP) = COALESCE(stage_orders."ordered_at", '1970-01-01'::TIMESTAMP)))`), remove);
            assert.ok(insert.endsWith(`IS NULL AND NOT ${deletes}`), insert);
        });
    });
});

/**
 * DuckDB in Redshift's place: what REDSHIFT holds (table attributes, the stage's LIKE, the COPY)
 * is replaced; every other statement runs as generated. The COPY becomes an INSERT of the files the
 * run's manifest lists, by column position as Redshift's Parquet COPY maps them, each entry checked
 * as Redshift checks a Parquet manifest (mandatory, with its content length).
 */
function duckdbDialect(root: string): WarehouseDialect {
    return {
        tableAttributes: () => "",
        createStage: (stage, target) => `CREATE TEMP TABLE ${stage} AS SELECT * FROM ${target} LIMIT 0`,
        copyFromManifest: (stage, manifestUrl) => {
            const { entries } = JSON.parse(fs.readFileSync(localPath(root, manifestUrl), "utf8")) as { entries: { url: string; mandatory: boolean; meta: { content_length: number } }[] };
            const files = entries.map((e) => {
                const file = localPath(root, e.url);
                assert.equal(e.mandatory, true, `${e.url} is mandatory`);
                assert.equal(e.meta.content_length, fs.statSync(file).size, `${e.url} has its content length`);
                return file;
            });
            return `INSERT INTO ${stage} SELECT * FROM read_parquet([${files.map(literal).join(", ")}], hive_partitioning = false)`;
        },
    };
}

describe("the warehouse load, run on DuckDB with the runs' curated Parquet files", () => {
    const workdir = fs.mkdtempSync(path.join(os.tmpdir(), "warehouse-sql-"));
    after(() => fs.rmSync(workdir, { recursive: true, force: true }));

    for (const { label, domain } of domainsUnderTest()) {
        describe(label, () => {
            const root = path.join(workdir, label.replace(/\W+/g, "-"));
            const warehouse = warehouseDomain(domain);
            const dialect = duckdbDialect(root);
            const key = domain.primaryKey[0];
            const varying = plainColumn(domain, (c) => c.name !== domain.partitionKey && /^string$/.test(c.type)) ?? plainColumn(domain)!;
            const eventNullable = domain.columns.find((c) => c.name === domain.eventTime)!.nullable !== false;
            const runs: Record<string, CuratedRun> = {};
            let instance: DuckDBInstance;

            /** A version of a key: its event time (null: none) and a value telling versions apart. */
            const version = (d: ContractDomain, n: number, event: string | null, tag: number, hour = 8) =>
                record(d, n, 0, arrivedAt(hour), { [d.eventTime]: event, [varying.name]: validValue(varying, tag) });

            before(async () => {
                const db = await (await DuckDBInstance.create(":memory:")).connect();
                const curated = transformSql(domain).curated;
                runs.first = await writeCuratedRun(db, root, domain, "jr_1", [version(domain, 1, eventAt(10), 10), version(domain, 2, eventAt(11), 20)], curated);
                runs.later = await writeCuratedRun(db, root, domain, "jr_2", [version(domain, 2, eventAt(12), 25)], curated);
                // A late-arriving older version of key 2 (or a backfilled range), and a key the others lack.
                runs.late = await writeCuratedRun(db, root, domain, "jr_3", [version(domain, 2, eventAt(11, 30), 21, 23), version(domain, 3, eventAt(9), 30)], curated);
                if (eventNullable) {
                    runs.untimed = await writeCuratedRun(db, root, domain, "jr_4", [version(domain, 4, null, 40)], curated);
                    runs.timed = await writeCuratedRun(db, root, domain, "jr_5", [version(domain, 4, eventAt(8), 41)], curated);
                }
            });

            /** A warehouse with the domain's schema and table, created by the generated DDL. */
            async function freshWarehouse(): Promise<void> {
                instance = await DuckDBInstance.create(":memory:");
                const db = await instance.connect();
                await db.run(schemaStatements([warehouse], "cluster", "lakehouse").find((s) => s.id === "schema")!.sql);
                await db.run(createTableSql(warehouse, dialect));
            }

            /** One run's load as the Data API runs a batch: one session, one transaction. */
            async function load(run: CuratedRun): Promise<void> {
                const session: DuckDBConnection = await instance.connect();
                await session.run("BEGIN TRANSACTION");
                for (const statement of loadBatch(warehouse, run.manifestUrl, "arn:aws:iam::123456789012:role/lake", dialect)) await session.run(statement);
                await session.run("COMMIT");
                session.closeSync();
            }

            async function loadInOrder(...order: CuratedRun[]): Promise<Record<string, unknown>[]> {
                await freshWarehouse();
                for (const run of order) await load(run);
                return query(await instance.connect(), `SELECT * FROM ${targetTable(domain.name)} ORDER BY ${domain.primaryKey.join(", ")}`);
            }
            const rowOf = (rows: Record<string, unknown>[], n: number) => rows.filter((r) => r[key] === record(domain, n, 0, arrivedAt(8)).values[key]);

            it("runs the statements Redshift gets, but for REDSHIFT's clauses", () => {
                assert.equal(createTableSql(warehouse), `${createTableSql(warehouse, dialect)} ${REDSHIFT.tableAttributes(warehouse)}`);
                const redshift = loadBatch(warehouse, runs.first.manifestUrl, "arn:r");
                const duckdb = loadBatch(warehouse, runs.first.manifestUrl, "arn:r", dialect);
                assert.deepEqual(duckdb.slice(2), redshift.slice(2), "the delete and the insert are the same text");
                assert.ok(runs.first.files.length > 0);
            });

            it("loads a run's files by position into the table's declared columns", async () => {
                const rows = await loadInOrder(runs.first);
                assert.deepEqual(Object.keys(rows[0]), warehouse.columns.map((c) => c.name));
                assert.equal(rows.length, 2);
                assert.equal(String(rowOf(rows, 1)[0][domain.eventTime]).slice(0, 19), eventAt(10));
            });

            it("leaves the table unchanged when the same run is loaded twice", async () => {
                const once = await loadInOrder(runs.first);
                const twice = await loadInOrder(runs.first, runs.first);
                assert.deepEqual(twice, once);
            });

            it("keeps the newer event of a key whatever the order runs are loaded in (late data, backfills), and adds the keys it lacks", async () => {
                const inOrder = await loadInOrder(runs.first, runs.later, runs.late);
                assert.equal(inOrder.length, 3, "one row per key");
                assert.equal(rowOf(inOrder, 2)[0][varying.name], validValue(varying, 25), "key 2 keeps its newest version");
                assert.equal(String(rowOf(inOrder, 2)[0][domain.eventTime]).slice(0, 19), eventAt(12));
                assert.equal(rowOf(inOrder, 3)[0][varying.name], validValue(varying, 30));
                for (const order of [
                    [runs.late, runs.later, runs.first],
                    [runs.later, runs.late, runs.first],
                    [runs.first, runs.late, runs.later, runs.first],
                ]) {
                    assert.deepEqual(await loadInOrder(...order), inOrder);
                }
            });

            it("keeps the row already there at an equal event time, as the curated MERGE does, in whichever order the runs load", async () => {
                const tie = await writeCuratedRun(await (await DuckDBInstance.create(":memory:")).connect(), root, domain, "jr_tie", [version(domain, 2, eventAt(12), 26)], transformSql(domain).curated);
                assert.equal(rowOf(await loadInOrder(runs.first, runs.later, tie), 2)[0][varying.name], validValue(varying, 25));
                assert.equal(rowOf(await loadInOrder(runs.first, tie, runs.later), 2)[0][varying.name], validValue(varying, 26));
            });

            // Where the event time is required, the job quarantines a row without one (tests/lib/etl-sql.test.ts).
            if (eventNullable)
                it("lets a version with an event time replace one without, never the other way round", async () => {
                    const timedLast = await loadInOrder(runs.untimed, runs.timed);
                    const timedFirst = await loadInOrder(runs.timed, runs.untimed);
                    assert.deepEqual(timedFirst, timedLast);
                    assert.equal(rowOf(timedLast, 4)[0][varying.name], validValue(varying, 41));
                });
        });
    }
});

describe("the warehouse load of a domain with an operation column, run on DuckDB with the runs' change sets", () => {
    const workdir = fs.mkdtempSync(path.join(os.tmpdir(), "warehouse-deletes-"));
    after(() => fs.rmSync(workdir, { recursive: true, force: true }));
    const base = domainsUnderTest().find((d) => d.label === "prod orders")!.domain;
    const domain: ContractDomain = { ...base, columns: [...base.columns, { name: "change_op", type: "string" }] };
    const operation = { column: "change_op", deleteValues: ["D"] };
    const warehouse = { ...warehouseDomain(domain), operation };
    const dialect = duckdbDialect(workdir);
    const varying = plainColumn(domain, (c) => c.name !== "change_op" && c.type === "string")!;
    const key = domain.primaryKey[0];
    const version = (n: number, hour: number, tag: number, op = "U") => record(domain, n, 0, arrivedAt(hour), { [domain.eventTime]: eventAt(hour), [varying.name]: validValue(varying, tag), change_op: op });
    let instance: DuckDBInstance;
    const runs: Record<string, CuratedRun> = {};

    before(async () => {
        const db = await (await DuckDBInstance.create(":memory:")).connect();
        const curated = transformSql(domain).curated;
        runs.base = await writeCuratedRun(db, workdir, domain, "jr_1", [version(1, 10, 10), version(2, 10, 20), version(3, 10, 30)], curated);
        // Key 1: a newer delete; key 2: an older delete; key 3: a delete at the same event; key 4: a delete of a key the warehouse lacks.
        runs.deletes = await writeCuratedRun(db, workdir, domain, "jr_2", [version(1, 11, 0, "D"), version(2, 9, 0, "D"), version(3, 10, 0, "D"), version(4, 11, 0, "D")], curated);
    });

    async function loadInOrder(...order: CuratedRun[]): Promise<Record<string, unknown>[]> {
        instance = await DuckDBInstance.create(":memory:");
        const setup = await instance.connect();
        await setup.run(schemaStatements([warehouse], "cluster", "lakehouse").find((s) => s.id === "schema")!.sql);
        await setup.run(createTableSql(warehouse, dialect));
        for (const run of order) {
            const session = await instance.connect();
            await session.run("BEGIN TRANSACTION");
            for (const statement of loadBatch(warehouse, run.manifestUrl, "arn:r", dialect)) await session.run(statement);
            await session.run("COMMIT");
            session.closeSync();
        }
        return query(await instance.connect(), `SELECT * FROM ${targetTable(domain.name)} ORDER BY ${key}`);
    }

    it("applies a delete not older than the row, ignores an older one, inserts no delete, and loads a run again without a change", async () => {
        const rows = await loadInOrder(runs.base, runs.deletes);
        assert.deepEqual(
            rows.map((r) => [r[key], r[varying.name]]),
            [[record(domain, 2, 0, arrivedAt(8)).values[key], validValue(varying, 20)]],
        );
        assert.deepEqual(await loadInOrder(runs.base, runs.deletes, runs.deletes), rows, "loading a run again changes nothing");
        // Loaded before the rows it deletes, a delete inserts nothing and leaves no tombstone.
        const deletesFirst = await loadInOrder(runs.deletes, runs.base);
        assert.equal(deletesFirst.length, 3, "a delete leaves no tombstone: rows loaded after it come back, as in curated");
    });

    it("negative control: without the operation column the deletes are loaded as rows", async () => {
        instance = await DuckDBInstance.create(":memory:");
        const setup = await instance.connect();
        await setup.run(schemaStatements([warehouse], "cluster", "lakehouse").find((s) => s.id === "schema")!.sql);
        await setup.run(createTableSql(warehouse, dialect));
        for (const run of [runs.base, runs.deletes]) {
            const session = await instance.connect();
            for (const statement of loadBatch({ ...warehouse, operation: undefined }, run.manifestUrl, "arn:r", dialect)) await session.run(statement);
            session.closeSync();
        }
        const rows = await query(await instance.connect(), `SELECT * FROM ${targetTable(domain.name)} ORDER BY ${key}`);
        assert.equal(rows.length, 4);
    });
});
