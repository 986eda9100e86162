import * as assert from "node:assert/strict";
import { createTableSql, LOADER, loadBatch, redshiftType, schemaStatements, warehouseDomain } from "../../lib/warehouse-sql";

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

type Row = Record<string, string>;

/**
 * Runs a load batch against an in-memory warehouse, reading each statement as Redshift would:
 * the temp table, the COPY of the manifest's rows, the DELETE … USING on the columns its WHERE
 * compares, the INSERT. A statement it cannot read fails the test, so the SQL cannot drift from
 * what is tested.
 */
const keysOf = (sql: string) => [...sql.matchAll(/lake\.orders\."(\w+)" = stage_orders\."\1"/g)].map((m) => m[1]);

function runBatch(statements: string[], target: Row[], manifests: Record<string, Row[]>): Row[] {
    let stage: Row[] | undefined;
    let rows = [...target];
    for (const sql of statements) {
        if (/^CREATE TEMP TABLE stage_orders \(LIKE lake\.orders\)$/.test(sql)) stage = [];
        else if (/^COPY stage_orders FROM '([^']+)' IAM_ROLE '[^']+' FORMAT AS PARQUET MANIFEST$/.test(sql)) {
            const url = /FROM '([^']+)'/.exec(sql)![1];
            assert.ok(stage, "COPY before the staging table exists");
            stage.push(...manifests[url]);
        } else if (/^DELETE FROM lake\.orders USING stage_orders WHERE /.test(sql)) {
            const keys = keysOf(sql);
            const event = /AND COALESCE\(lake\.orders\."(\w+)", '1970-01-01'::TIMESTAMP\) <= COALESCE\(stage_orders\."\1", '1970-01-01'::TIMESTAMP\)$/.exec(sql)?.[1];
            assert.ok(keys.length > 0 && event, `unreadable delete: ${sql}`);
            rows = rows.filter((row) => !stage!.some((s) => keys.every((k) => s[k] === row[k]) && (row[event] ?? "") <= (s[event] ?? "")));
        } else if (/^INSERT INTO lake\.orders SELECT stage_orders\.\* FROM stage_orders LEFT JOIN lake\.orders ON .+ WHERE lake\.orders\."(\w+)" IS NULL$/.test(sql)) {
            const keys = keysOf(sql);
            const kept = [...rows];
            rows.push(...stage!.filter((s) => !kept.some((row) => keys.every((k) => s[k] === row[k]))));
        } else assert.fail(`unexpected statement: ${sql}`);
    }
    return rows;
}

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

    describe("the load of a run", () => {
        const manifest = "s3://curated/orders/_manifests/jr_1.manifest";
        const later = "s3://curated/orders/_manifests/jr_2.manifest";
        const backfill = "s3://curated/orders/_manifests/jr_3.manifest";
        const manifests = {
            [manifest]: [
                { order_id: "o1", amount: "10", ordered_at: "2026-11-01 10:00:00" },
                { order_id: "o2", amount: "20", ordered_at: "2026-11-01 11:00:00" },
            ],
            [later]: [{ order_id: "o2", amount: "25", ordered_at: "2026-11-01 12:00:00" }],
            [backfill]: [
                { order_id: "o2", amount: "21", ordered_at: "2026-11-01 11:30:00" },
                { order_id: "o3", amount: "30", ordered_at: "2026-11-01 09:00:00" },
            ],
        };
        const batch = (url: string) => loadBatch(orders, url, "arn:aws:iam::123456789012:role/lake");

        it("stages exactly the manifest's files, then deletes and inserts in one batch", () => {
            const statements = batch(manifest);
            assert.equal(statements.length, 4);
            assert.equal(statements[1], `COPY stage_orders FROM '${manifest}' IAM_ROLE 'arn:aws:iam::123456789012:role/lake' FORMAT AS PARQUET MANIFEST`);
        });

        it("leaves the warehouse unchanged when the same run is loaded twice", () => {
            const once = runBatch(batch(manifest), [], manifests);
            const twice = runBatch(batch(manifest), once, manifests);
            assert.deepEqual(twice, once);
            assert.equal(once.length, 2);
        });

        it("replaces rows by primary key when a later run carries them again", () => {
            const rows = runBatch(batch(later), runBatch(batch(manifest), [], manifests), manifests);
            assert.deepEqual(
                rows.sort((a, b) => a.order_id.localeCompare(b.order_id)),
                [
                    { order_id: "o1", amount: "10", ordered_at: "2026-11-01 10:00:00" },
                    { order_id: "o2", amount: "25", ordered_at: "2026-11-01 12:00:00" },
                ],
            );
        });

        it("never replaces a newer row with an older version loaded later (late data, backfills), and adds the rows it lacks", () => {
            const current = runBatch(batch(later), runBatch(batch(manifest), [], manifests), manifests);
            const rows = runBatch(batch(backfill), current, manifests);
            assert.deepEqual(
                rows.map((r) => [r.order_id, r.amount]).sort(),
                [
                    ["o1", "10"],
                    ["o2", "25"],
                    ["o3", "30"],
                ],
            );
            // Any order of loading gives the same table.
            const reversed = runBatch(batch(manifest), runBatch(batch(later), runBatch(batch(backfill), [], manifests), manifests), manifests);
            assert.deepEqual(reversed.map((r) => [r.order_id, r.amount]).sort(), rows.map((r) => [r.order_id, r.amount]).sort());
        });

        it("matches every primary-key column", () => {
            const [, , remove, insert] = loadBatch({ name: "orders", primaryKey: ["order_id", "line"], eventTime: "ordered_at" }, manifest, "arn:r");
            assert.equal(
                remove,
                `DELETE FROM lake.orders USING stage_orders WHERE lake.orders."order_id" = stage_orders."order_id" AND lake.orders."line" = stage_orders."line" AND COALESCE(lake.orders."ordered_at", '1970-01-01'::TIMESTAMP) <= COALESCE(stage_orders."ordered_at", '1970-01-01'::TIMESTAMP)`,
            );
            assert.equal(
                insert,
                'INSERT INTO lake.orders SELECT stage_orders.* FROM stage_orders LEFT JOIN lake.orders ON lake.orders."order_id" = stage_orders."order_id" AND lake.orders."line" = stage_orders."line" WHERE lake.orders."order_id" IS NULL',
            );
        });
    });
});
