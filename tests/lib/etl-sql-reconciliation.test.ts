import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { transformSql } from "../../lib/etl-sql";
import { openDuckDb, query } from "../helpers/duckdb";
import { arrivedAt, domainsUnderTest, type RawRecord, record, registerRaw, writeRaw } from "../helpers/lake-rows";

/** The reconciliation row as numbers (DuckDB returns COUNT as BIGINT). */
async function reconcile(db: DuckDBConnection, sql: string): Promise<Record<string, number>> {
    const [row] = await query(db, sql);
    return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]));
}

describe("the job's reconciliation query (lib/etl-sql.ts), run on DuckDB over the raw layout", () => {
    let db: DuckDBConnection;
    let workdir: string;
    before(async () => {
        db = await openDuckDb();
        workdir = fs.mkdtempSync(path.join(os.tmpdir(), "etl-reconcile-"));
    });
    after(() => fs.rmSync(workdir, { recursive: true, force: true }));

    for (const { label, domain } of domainsUnderTest()) {
        it(`${label}: raw-in = curated + quarantined + duplicates over repeats, newer versions, late events and bad rows`, async () => {
            const key = domain.primaryKey[0];
            const records: RawRecord[] = [
                // A key seen once.
                record(domain, 1, 8, arrivedAt(8)),
                // The same record delivered twice, in two files: one duplicate.
                record(domain, 2, 9, arrivedAt(9), {}, { file: "part-a" }),
                record(domain, 2, 9, arrivedAt(9), {}, { file: "part-b" }),
                // A newer version and a late event (an older one arriving the next day): two duplicates of key 3.
                record(domain, 3, 10, arrivedAt(10)),
                record(domain, 3, 11, arrivedAt(11)),
                record(domain, 3, 7, arrivedAt(1, 1, 12)),
                // Rows without their key: quarantined, never deduplicated.
                record(domain, 4, 8, arrivedAt(8), { [key]: null }),
                record(domain, 5, 8, arrivedAt(8), { [key]: null }),
            ];
            const root = path.join(workdir, label.replace(/\W+/g, "-"));
            await writeRaw(db, root, domain, records);
            await registerRaw(db, root, domain);
            const sql = transformSql(domain);
            const counts = await reconcile(db, sql.reconciliation);
            const curated = (await query(db, sql.curated)).length;
            const quarantined = (await query(db, sql.quarantine)).length;
            assert.deepEqual(counts, { raw_in: records.length, curated, quarantined, duplicates: 3, mismatch: 0 });
            assert.equal(curated, 3, "keys 1, 2 and 3");
            assert.equal(quarantined, 2);
            assert.equal(counts.raw_in, counts.curated + counts.quarantined + counts.duplicates);
        });
    }

    it("shows a mismatch when the split loses rows (a quarantine that drops what it should keep)", async () => {
        const [{ domain }] = domainsUnderTest();
        const root = path.join(workdir, "lossy");
        await writeRaw(db, root, domain, [record(domain, 1, 8, arrivedAt(8)), record(domain, 2, 8, arrivedAt(8), { [domain.primaryKey[0]]: null })]);
        await registerRaw(db, root, domain);
        const sql = transformSql(domain);
        const lossy = sql.reconciliation.replace(sql.quarantine, `${sql.quarantine} AND 1 = 0`);
        assert.notEqual(lossy, sql.reconciliation, "the reconciliation counts the quarantine statement itself");
        assert.deepEqual(await reconcile(db, lossy), { raw_in: 2, curated: 1, quarantined: 0, duplicates: 0, mismatch: 1 });
    });
});
