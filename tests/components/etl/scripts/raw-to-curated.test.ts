import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { etlContract, transformSql } from "../../../../lib/etl-sql";
import { icebergMergeSql, type MergeDomain, renderMerge } from "../../../../lib/iceberg-merge-sql";
import { changeSetPrefix } from "../../../../lib/layout";
import { hoursToRead, placedKey, runStagingPrefix, STAGING_ROOT } from "../../../../lib/run-integrity";
import { declaredDomains } from "../../../helpers/lake-rows";

const SCRIPT_DIR = path.resolve(__dirname, "../../../../components/etl/scripts");

/**
 * Imports the job script with empty stand-ins for the Glue and Spark modules (which exist only on
 * Glue) and runs `code` against it; returns what the code prints as JSON. The transformation itself
 * is SQL, run on a real engine in tests/lib/etl-sql.test.ts; these tests cover the wrapper's
 * arguments, its run-integrity rules and its curated write (the substitution and order of the MERGE).
 */
function runPython(code: string): unknown {
    const stubs = fs.mkdtempSync(path.join(os.tmpdir(), "glue-stubs-"));
    const modules = ["awsglue/__init__", "awsglue/context", "awsglue/dynamicframe", "awsglue/job", "awsglue/utils", "awsgluedq/__init__", "awsgluedq/transforms", "pyspark/__init__", "pyspark/context", "pyspark/sql/__init__", "pyspark/sql/functions"];
    const names: Record<string, string> = {
        "awsglue/context": "GlueContext = None",
        "awsglue/dynamicframe": "DynamicFrame = None",
        "awsglue/job": "Job = None",
        "awsglue/utils": "def getResolvedOptions(argv, names):\n    return {n: argv[argv.index('--' + n) + 1] for n in names}",
        "awsgluedq/transforms": "EvaluateDataQuality = None",
        "pyspark/context": "SparkContext = None",
    };
    for (const m of modules) {
        fs.mkdirSync(path.dirname(path.join(stubs, m)), { recursive: true });
        fs.writeFileSync(path.join(stubs, `${m}.py`), names[m] ?? "");
    }
    const result = spawnSync("python3", ["-c", `import json, sys\nsys.path[:0] = [${JSON.stringify(stubs)}, ${JSON.stringify(SCRIPT_DIR)}]\nimport raw_to_curated as job\n${code}`], { encoding: "utf8" });
    fs.rmSync(stubs, { recursive: true, force: true });
    assert.equal(result.status, 0, result.stderr);
    return JSON.parse(result.stdout);
}

describe("raw_to_curated.py backfill mode", () => {
    it("reads the backfill range only when the run was started with it", () => {
        const args = runPython(`
regular = job.resolve_arguments(["x"] + sum([["--" + n, "v"] for n in job.ARGUMENTS], []))
backfill = job.resolve_arguments(["x"] + sum([["--" + n, "v"] for n in job.ARGUMENTS], []) + ["--backfill_from", "2026-11-01", "--backfill_to", "2026-11-03"])
print(json.dumps([job.backfill_range(regular), [d.isoformat() for d in job.backfill_range(backfill)]]))`);
        assert.deepEqual(args, [null, ["2026-11-01", "2026-11-03"]]);
    });

    it("reads every arrival hour of the range's days", () => {
        const out = runPython(`
from datetime import date
hours = job.range_hours(date(2026, 2, 27), date(2026, 3, 1))
print(json.dumps([len(hours), job.hour_path(hours[0]), job.hour_path(hours[-1])]))`) as [number, string, string];
        assert.deepEqual(out, [72, "year=2026/month=02/day=27/hour=00/", "year=2026/month=03/day=01/hour=23/"]);
    });

    it("reads only the range's hours regular runs have committed, so no hour is read by both", () => {
        const out = runPython(`
from datetime import date, datetime, timezone
watermark = int(datetime(2026, 2, 28, 5, tzinfo=timezone.utc).timestamp())
hours = job.backfill_hours(date(2026, 2, 27), date(2026, 3, 1), watermark)
print(json.dumps([len(hours), job.hour_path(hours[-1]), job.backfill_hours(date(2026, 2, 27), date(2026, 2, 27), None)]))`) as [number, string, number[]];
        // The 27th's 24 hours and the 28th up to 05:00; nothing before any regular run committed.
        assert.deepEqual(out, [30, "year=2026/month=02/day=28/hour=05/", []]);
    });

    it("refuses a range that is reversed, half given, not a date or longer than a year", () => {
        const errors = runPython(`
out = []
for given in [{"backfill_from": "2026-11-03", "backfill_to": "2026-11-01"}, {"backfill_from": "2026-11-01"}, {"backfill_from": "2026-13-01", "backfill_to": "2026-11-01"}, {"backfill_from": "2024-01-01", "backfill_to": "2026-01-01"}]:
    try:
        job.backfill_range(given)
        out.append(None)
    except ValueError as error:
        out.append(str(error))
print(json.dumps(out))`) as string[];
        assert.match(errors[0], /2026-11-03 is after --backfill_to 2026-11-01/);
        assert.match(errors[1], /needs both --backfill_from and --backfill_to/);
        assert.ok(errors[2], "a month 13 is refused");
        assert.match(errors[3], /at most 366 days/);
    });
});

/**
 * Python that replaces `boto3.client` with fakes: DynamoDB answers the pending-load query from
 * `pages` (one page per call, `LastEvaluatedKey` on all but the last) and records each request in
 * `queries`; S3 returns `objects[url]` as JSON.
 */
const FAKE_AWS = `
import io
queries = []
class DynamoDb:
    def query(self, **request):
        queries.append(request)
        page = pages[len(queries) - 1]
        return {"Items": page, **({"LastEvaluatedKey": {"sk": {"S": str(len(queries))}}} if len(queries) < len(pages) else {})}
class S3:
    def get_object(self, Bucket, Key):
        return {"Body": io.BytesIO(json.dumps(objects[f"s3://{Bucket}/{Key}"]).encode())}
job.boto3.client = lambda service: {"dynamodb": DynamoDb(), "s3": S3()}[service]
args = {"state_table": "state", "state_pending_index": "pending-load", "state_pending_attribute": "pendingLoad", "domain": "orders", "target_path": "s3://cur/orders/"}
def pending(run, manifest):
    return {"runId": {"S": run}, "manifest": {"S": manifest}}
def manifest(*urls):
    return {"entries": [{"url": url, "mandatory": True, "meta": {"content_length": 1}} for url in urls]}
`;

describe("raw_to_curated.py curated write (lib/iceberg-merge-sql.ts)", () => {
    it("substitutes the MERGE's placeholders by the same rule as renderMerge", () => {
        const domain: MergeDomain = { ...etlContract(declaredDomains("prod").find((d) => d.name === "orders")!), operation: { column: "currency", deleteValues: ["D"] } };
        const statements = { ...transformSql(domain), ...icebergMergeSql(domain) };
        const cases: (string | null)[][] = [[], ["2026-11-30"], ["2026-12-31", null, "2024-02-29", "2026-12-31"], [null]];
        const out = runPython(`
statements = json.loads(${JSON.stringify(JSON.stringify(statements))})
cases = json.loads(${JSON.stringify(JSON.stringify(cases))})
print(json.dumps([[job.render_merge(statements[name], statements, "glue_catalog.db.orders", days) for name in ["merge", "touchedDays"]] for days in cases]))`) as string[][];
        cases.forEach((days, i) => {
            assert.deepEqual(out[i], [renderMerge(statements.merge, statements, "glue_catalog.db.orders", days), renderMerge(statements.touchedDays, statements, "glue_catalog.db.orders", days)], JSON.stringify(days));
        });
        assert.match(out[2][0], /'2024-03-01 00:00:00'/, "a leap day's next day");
    });

    it("merges the batch after the day lookup, into the Glue catalog's table, after the quality gate and before the change set is placed and committed", () => {
        const out = runPython(`
calls = []
class Row(tuple):
    pass
from datetime import date
class Spark:
    def table(self, name):
        class Table:
            columns = ["order_id", "ordered_at"]
        return Table()
    def sql(self, text):
        calls.append(text)
        class Result:
            def collect(self):
                return [Row((None,)), Row((date(2026, 11, 29),)), Row((date(2026, 11, 30),))]
        return Result()
statements = {"touchedDays": "SELECT {{target}}", "merge": "MERGE {{target}} ON ({{target_days}})", "targetDay": "[{{day}},{{next_day}})", "targetNullDay": "NULL", "columns": [{"name": "order_id", "type": "STRING"}, {"name": "ordered_at", "type": "TIMESTAMP"}]}
days = job.merge_batch(Spark(), statements, "glue_catalog.db.t")
print(json.dumps([days, calls]))`);
        assert.deepEqual(out, [[null, "2026-11-29", "2026-11-30"], ["SELECT glue_catalog.db.t", "MERGE glue_catalog.db.t ON ([2026-11-29,2026-11-30) OR [2026-11-30,2026-12-01) OR NULL)"]]);
        const main = fs.readFileSync(path.join(SCRIPT_DIR, "raw_to_curated.py"), "utf8");
        const flow = main.slice(main.indexOf("def main():"));
        const at = (text: string) => {
            const i = flow.indexOf(text);
            assert.ok(i > 0, text);
            return i;
        };
        assert.ok(at("if failure:") < at("merge_batch(spark"), "nothing is merged when the run fails its quality gate");
        assert.ok(at('parquet(f"{staging}changes/")') < at("merge_batch(spark"));
        assert.ok(at("merge_batch(spark") < at("entries, _ = place_output(s3, args)"));
        assert.ok(at("entries, _ = place_output(s3, args)") < at("commit(args, record"));
        assert.match(flow, /merge_batch\(spark, statements, f"\{ICEBERG_CATALOG\}\.\{args\['target_database'\]\}\.\{args\['target_table'\]\}"\)/);
        assert.doesNotMatch(main, /purge_s3_path|partitionBy\(\*target_keys\)|\.parquet\(args\["target_path"\]/, "nothing writes or deletes the table's files but the MERGE");
    });
});

describe("raw_to_curated.py schema evolution", () => {
    it("adds the declared columns the Iceberg table lacks before merging, in declared order, and nothing when none is missing", () => {
        const columns = icebergMergeSql({ ...etlContract(declaredDomains("prod")[0]) }).columns;
        const out = runPython(`
calls = []
class Spark:
    def __init__(self, present):
        self.present = present
    def table(self, name):
        present = self.present
        class Table:
            columns = present
        return Table()
    def sql(self, text):
        calls.append(text)
statements = {"columns": ${JSON.stringify(columns)}}
names = [c["name"] for c in statements["columns"]]
job.add_missing_columns(Spark([n.upper() for n in names]), statements, "glue_catalog.db.t")
none = list(calls)
job.add_missing_columns(Spark(names[:1]), statements, "glue_catalog.db.t")
print(json.dumps([none, calls]))`) as [string[], string[]];
        assert.deepEqual(out[0], [], "a table with every declared column (Glue lowercases names) is left alone");
        assert.deepEqual(out[1], [`ALTER TABLE glue_catalog.db.t ADD COLUMNS (${columns.slice(1).map((c) => `${c.name} ${c.type}`).join(", ")})`]);
    });
});

describe("raw_to_curated.py arguments", () => {
    it("reads the transformation's statements and refuses an object that lacks one", () => {
        const out = runPython(`${FAKE_AWS}
complete = {"sourceView": "raw_rows", "curated": "SELECT 1", "quarantine": "SELECT 2", "reconciliation": "SELECT 3", "batchView": "batch_rows", "touchedDays": "SELECT 4", "merge": "MERGE", "targetDay": "d", "targetNullDay": "n", "columns": [{"name": "a", "type": "STRING"}]}
objects = {"s3://art/glue/sql/orders.json": complete, "s3://art/glue/sql/bad.json": {k: v for k, v in complete.items() if k not in ("quarantine", "merge")}}
good = job.load_transform("s3://art/glue/sql/orders.json")
try:
    job.load_transform("s3://art/glue/sql/bad.json")
    bad = None
except ValueError as error:
    bad = str(error)
print(json.dumps([good["curated"], bad]))`) as [string, string];
        assert.equal(out[0], "SELECT 1");
        assert.equal(out[1], "s3://art/glue/sql/bad.json lacks the statement(s) quarantine, merge");
    });

    it("refuses a source without the raw partition columns the statements read", () => {
        const out = runPython(`
job.check_source_columns(["event_id", "event_type", "year", "month", "day", "hour"], ["event_type", "year", "month", "day", "hour"])
try:
    job.check_source_columns(["event_id", "year", "month", "day", "hour"], ["event_type", "year", "month", "day", "hour"])
    print(json.dumps(None))
except ValueError as error:
    print(json.dumps(str(error)))`);
        assert.match(String(out), /lacks the raw partition column\(s\) event_type/);
    });
});

describe("raw_to_curated.py run integrity (the rules of lib/run-integrity.ts)", () => {
    it("chooses the same hours as lib/run-integrity.ts hoursToRead, and places staged files where placedKey does", () => {
        const cases = fc.sample(
            fc.record({ watermark: fc.option(fc.integer({ min: 0, max: 48 }), { nil: undefined }), nowSeconds: fc.integer({ min: 0, max: 60 * 3600 }), closeAfter: fc.integer({ min: 0, max: 1500 }), max: fc.integer({ min: 1, max: 30 }), first: fc.integer({ min: 0, max: 10 }) }),
            { numRuns: 200, seed: 7 },
        );
        const base = Date.UTC(2026, 11, 1) / 1000;
        const out = runPython(`
cases = ${JSON.stringify(cases)}
base = ${base}
print(json.dumps([job.hours_to_read(None if c.get("watermark") is None else base + c["watermark"] * 3600, base + c["nowSeconds"], c["closeAfter"], c["max"], base + c["first"] * 3600) for c in cases]))`) as number[][];
        cases.forEach((c, i) => {
            const expected = hoursToRead(c.watermark === undefined ? undefined : (base + c.watermark * 3600) * 1000, (base + c.nowSeconds) * 1000, c.closeAfter, c.max, (base + c.first * 3600) * 1000).map((h) => h / 1000);
            assert.deepEqual(out[i], expected, JSON.stringify(c));
        });
        const staged = `${runStagingPrefix("orders", "jr_1")}changes/part-0.parquet`;
        const quarantined = `${runStagingPrefix("orders", "jr_1")}quarantine/year=2026/month=12/day=07/part-0.parquet`;
        const placed = runPython(`
args = {"staging_path": "s3://cur/${STAGING_ROOT}orders/", "changes_path": "s3://cur/${changeSetPrefix({ name: "orders" })}", "quarantine_path": "s3://cur/_quarantine/orders/"}
print(json.dumps([job.placed_key(args, "jr_1", "${staged}"), job.placed_key(args, "jr_1", "${quarantined}")]))`);
        assert.deepEqual(placed, [placedKey("orders", "jr_1", staged), placedKey("orders", "jr_1", quarantined)]);
    });

    it("removes an uncommitted run's placed copies, manifest and staged files, and only the staged files of a committed one", () => {
        const out = runPython(`
deleted = []
class S3:
    def get_paginator(self, name):
        return self
    def paginate(self, Bucket, Prefix, Delimiter=None):
        if Delimiter:
            return [{"CommonPrefixes": [{"Prefix": "_staging/orders/jr_1/"}, {"Prefix": "_staging/orders/jr_2/"}, {"Prefix": "_staging/orders/jr_3/"}]}]
        return [{"Contents": [{"Key": Prefix + "changes/part-0.parquet", "Size": 1}]}]
    def delete_objects(self, Bucket, Delete):
        deleted.extend(o["Key"] for o in Delete["Objects"])
class DynamoDb:
    def get_item(self, TableName, Key, ConsistentRead):
        return {"Item": {}} if Key["sk"]["S"] == "jr_2" else {}
job.boto3.client = lambda service: {"dynamodb": DynamoDb()}[service]
args = {"JOB_RUN_ID": "jr_3", "state_table": "state", "commit_marker_partition": "commit#orders", "staging_path": "s3://cur/_staging/orders/", "changes_path": "s3://cur/_changes/orders/", "quarantine_path": "s3://cur/_quarantine/orders/", "manifest_prefix": "s3://cur/_changes/orders/_manifests/"}
removed = job.clean_leftovers(S3(), args)
print(json.dumps([removed, deleted]))`) as [string[], string[]];
        assert.deepEqual(out[0], ["jr_1", "jr_2"], "never the running attempt's own prefix");
        assert.deepEqual(out[1], [
            "_changes/orders/jr_1/part-0.parquet",
            "_changes/orders/_manifests/jr_1.manifest",
            "_staging/orders/jr_1/changes/part-0.parquet",
            "_staging/orders/jr_2/changes/part-0.parquet",
        ]);
    });

    it("commits the run record, its marker and the watermark in one transaction, conditional on the watermark it started from", () => {
        const out = runPython(`
args = {"JOB_RUN_ID": "jr_9", "state_table": "state", "commit_marker_partition": "commit#orders", "input_watermark_key": "input#orders|raw-hours", "state_ttl_days": "90"}
record = {"pk": {"S": "run#orders"}, "status": {"S": "TRANSFORMED"}}
first = job.commit_items(args, record, [7200, 10800], None)
later = job.commit_items(args, record, [14400], 10800)
backfill = job.commit_items(args, record, [], 10800)
print(json.dumps([[list(i)[0] for i in first], first[2]["Update"]["ConditionExpression"], later[2]["Update"]["ConditionExpression"], later[2]["Update"]["ExpressionAttributeValues"][":from"], later[2]["Update"]["ExpressionAttributeValues"][":hour"], first[2]["Update"]["Key"], first[1]["Put"]["Item"]["sk"], len(backfill)]))`);
        assert.deepEqual(out, [["Put", "Put", "Update"], "attribute_not_exists(lastHour)", "lastHour = :from", { N: "10800" }, { N: "14400" }, { pk: { S: "input#orders" }, sk: { S: "raw-hours" } }, { S: "jr_9" }, 2]);
    });

    it("lists only the chosen hours' prefixes of each partition-key value, and fails on an archived file", () => {
        const out = runPython(`
listed = []
class S3:
    def get_paginator(self, name):
        return self
    def paginate(self, Bucket, Prefix, Delimiter=None):
        listed.append([Prefix, Delimiter])
        if Delimiter:
            return [{"CommonPrefixes": [{"Prefix": "clickstream/event_type=click/"}, {"Prefix": "clickstream/_tmp/"}]}]
        storage = "GLACIER" if "hour=01" in Prefix else "STANDARD"
        return [{"Contents": [{"Key": Prefix + "f.parquet", "StorageClass": storage}, {"Key": Prefix + "_hidden/x"}]}]
found = job.hour_files(S3(), "s3://raw/clickstream/", "event_type", [0])
try:
    job.hour_files(S3(), "s3://raw/clickstream/", "event_type", [3600])
    archived = None
except RuntimeError as error:
    archived = str(error)
print(json.dumps([listed[:2], [[p, [o["Key"] for o in objects]] for p, objects in found], archived]))`) as [unknown, unknown, string];
        assert.deepEqual(out[0], [["clickstream/", "/"], ["clickstream/event_type=click/year=1970/month=01/day=01/hour=00/", null]]);
        assert.deepEqual(out[1], [["clickstream/event_type=click/year=1970/month=01/day=01/hour=00/", ["clickstream/event_type=click/year=1970/month=01/day=01/hour=00/f.parquet"]]]);
        assert.match(out[2], /are archived .*restore them before this hour is read/);
    });
});
