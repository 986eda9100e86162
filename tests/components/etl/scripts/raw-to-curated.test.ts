import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const SCRIPT_DIR = path.resolve(__dirname, "../../../../components/etl/scripts");

/**
 * Imports the job script with empty stand-ins for the Glue and Spark modules (which exist only on
 * Glue) and runs `code` against it; returns what the code prints as JSON.
 */
function runPython(code: string): unknown {
    const stubs = fs.mkdtempSync(path.join(os.tmpdir(), "glue-stubs-"));
    const modules = ["awsglue/__init__", "awsglue/context", "awsglue/dynamicframe", "awsglue/job", "awsglue/transforms", "awsglue/utils", "awsgluedq/__init__", "awsgluedq/transforms", "pyspark/__init__", "pyspark/context", "pyspark/sql/__init__", "pyspark/sql/functions"];
    const names: Record<string, string> = {
        "awsglue/context": "GlueContext = None",
        "awsglue/dynamicframe": "DynamicFrame = None",
        "awsglue/job": "Job = None",
        "awsglue/transforms": "SelectFromCollection = None",
        "awsglue/utils": "def getResolvedOptions(argv, names):\n    return {n: argv[argv.index('--' + n) + 1] for n in names}",
        "awsgluedq/transforms": "EvaluateDataQuality = None",
        "pyspark/context": "SparkContext = None",
        "pyspark/sql/__init__": "Window = None",
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
