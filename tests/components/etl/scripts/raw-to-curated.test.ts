import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const SCRIPT_DIR = path.resolve(__dirname, "../../../../components/etl/scripts");

/**
 * Imports the job script with empty stand-ins for the Glue and Spark modules (which exist only on
 * Glue) and runs `code` against it; returns what the code prints as JSON. The transformation itself
 * is SQL, run on a real engine in tests/lib/etl-sql.test.ts; these tests cover the wrapper's
 * arguments and its guard around a backfill's purge.
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

    it("selects the range's raw partitions by arrival day, and deletes exactly its curated partitions before rewriting them", () => {
        const out = runPython(`
from datetime import date
purged = []
class Context:
    def purge_s3_path(self, path, options):
        purged.append([path, options])
job.purge_range(Context(), "s3://curated/orders/", date(2026, 2, 27), date(2026, 3, 1))
print(json.dumps([job.range_predicate(date(2026, 2, 27), date(2026, 3, 1)), purged]))`) as [string, [string, unknown][]];
        assert.equal(out[0], "concat(year, '-', month, '-', day) >= '2026-02-27' AND concat(year, '-', month, '-', day) <= '2026-03-01'");
        assert.deepEqual(
            out[1].map(([p]) => p),
            ["s3://curated/orders/year=2026/month=02/day=27/", "s3://curated/orders/year=2026/month=02/day=28/", "s3://curated/orders/year=2026/month=03/day=01/"],
        );
        assert.deepEqual(out[1][0][1], { retentionPeriod: 0 }, "files of every age in the range");
    });

    it("skips archived raw objects on regular runs only: a backfill that skipped them would rewrite its range without them", () => {
        const out = runPython(`
from datetime import date
args = {"group_size": "134217728"}
print(json.dumps([job.source_options(args, None), job.source_options(args, (date(2026, 1, 1), date(2026, 1, 2)))]))`) as Record<string, unknown>[];
        assert.deepEqual(out[0], { groupFiles: "inPartition", groupSize: "134217728", excludeStorageClasses: ["GLACIER", "DEEP_ARCHIVE"] });
        assert.deepEqual(out[1], { groupFiles: "inPartition", groupSize: "134217728" });
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

describe("raw_to_curated.py backfill guard", () => {
    it("refuses to purge a range while a run pending load lists a file in it, naming the run and the manifest", () => {
        const out = runPython(`${FAKE_AWS}
from datetime import date
pages = [[pending("jr_old", "s3://cur/orders/_manifests/jr_old.manifest")], [pending("jr_new", "s3://cur/orders/_manifests/jr_new.manifest")]]
objects = {
    "s3://cur/orders/_manifests/jr_old.manifest": manifest("s3://cur/orders/year=2026/month=10/day=31/part-0.parquet"),
    "s3://cur/orders/_manifests/jr_new.manifest": manifest("s3://cur/orders/year=2026/month=11/day=02/part-1.parquet", "s3://cur/orders/year=2026/month=11/day=05/part-2.parquet"),
}
try:
    job.guard_purge(args, date(2026, 11, 1), date(2026, 11, 3))
    print(json.dumps({"refused": None, "queries": queries}))
except RuntimeError as error:
    print(json.dumps({"refused": str(error), "queries": queries}))`) as { refused: string | null; queries: any[] };
        assert.ok(out.refused, "the purge is refused");
        assert.match(out.refused, /refusing to purge 2026-11-01\.\.2026-11-03 of s3:\/\/cur\/orders\/: run jr_new/);
        assert.match(out.refused, /jr_new\.manifest lists 1 file\(s\) in the range \(e\.g\. s3:\/\/cur\/orders\/year=2026\/month=11\/day=02\/part-1\.parquet\)/);
        // The second page of the index is read too (the conflict is there), from where the first ended.
        assert.equal(out.queries.length, 2);
        assert.deepEqual(out.queries[0], {
            TableName: "state",
            IndexName: "pending-load",
            KeyConditionExpression: "#pending = :domain",
            ExpressionAttributeNames: { "#pending": "pendingLoad" },
            ExpressionAttributeValues: { ":domain": { S: "orders" } },
        });
        assert.deepEqual(out.queries[1].ExclusiveStartKey, { sk: { S: "1" } });
    });

    it("lets the purge go on when no pending manifest lists a file in the range", () => {
        const out = runPython(`${FAKE_AWS}
from datetime import date
pages = [[pending("jr_old", "s3://cur/orders/_manifests/jr_old.manifest"), {"runId": {"S": "jr_empty"}}]]
objects = {"s3://cur/orders/_manifests/jr_old.manifest": manifest("s3://cur/orders/year=2026/month=10/day=31/part-0.parquet", "s3://cur/orders/year=2026/month=11/day=04/part-0.parquet")}
job.guard_purge(args, date(2026, 11, 1), date(2026, 11, 3))
pages = [[]]
queries.clear()
job.guard_purge(args, date(2026, 11, 1), date(2026, 11, 3))
print(json.dumps(len(queries)))`);
        assert.equal(out, 1, "with nothing pending, one query and no manifest read");
    });

    it("purges only after the guard, in the job's main flow", () => {
        const text = fs.readFileSync(path.join(SCRIPT_DIR, "raw_to_curated.py"), "utf8");
        const main = text.slice(text.indexOf("def main():"));
        assert.ok(main.indexOf("guard_purge(args, *backfill)") > 0 && main.indexOf("guard_purge(args, *backfill)") < main.indexOf("purge_range(glue_context"), "the guard runs right before the purge");
    });
});

describe("raw_to_curated.py arguments", () => {
    it("reads the transformation's statements and refuses an object that lacks one", () => {
        const out = runPython(`${FAKE_AWS}
objects = {"s3://art/glue/sql/orders.json": {"sourceView": "raw_rows", "curated": "SELECT 1", "quarantine": "SELECT 2"}, "s3://art/glue/sql/bad.json": {"sourceView": "raw_rows", "curated": "SELECT 1"}}
good = job.load_transform("s3://art/glue/sql/orders.json")
try:
    job.load_transform("s3://art/glue/sql/bad.json")
    bad = None
except ValueError as error:
    bad = str(error)
print(json.dumps([good["curated"], bad]))`) as [string, string];
        assert.equal(out[0], "SELECT 1");
        assert.equal(out[1], "s3://art/glue/sql/bad.json lacks the statement(s) quarantine");
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
