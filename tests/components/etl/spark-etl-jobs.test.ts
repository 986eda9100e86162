import { ofType, resourcesUnder, single, testAccount } from "../../helpers/mock-session";
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { qualityRuleset, SparkEtlJobs, transformSqlKey } from "../../../components/etl";
import { icebergSparkConf, jobStatements } from "../../../components/etl/spark-etl-jobs";
import { transformSql } from "../../../lib/etl-sql";
import { icebergMergeSql } from "../../../lib/iceberg-merge-sql";
import { parseSparkConfArgument, SKEW_SAFE_SPARK_CONF } from "../../../lib/sizing";

const orders = {
    name: "orders",
    source: { database: "raw_orders", table: "orders" },
    target: { database: "curated_orders", table: "orders" },
    primaryKey: ["order_id"],
    eventTime: "ordered_at",
    columns: [
        { name: "order_id", type: "string", nullable: false },
        { name: "amount", type: "decimal(12,2)", nullable: false, min: 0, max: 1000000 },
        { name: "note", type: "string" },
        { name: "ordered_at", type: "timestamp", nullable: false },
    ],
};

const args = (name: string, executionClass: "STANDARD" | "FLEX") => ({
        namePrefix: name,
        domains: [orders],
        buckets: { raw: { name: "raw-b", arn: "arn:aws:s3:::raw-b" }, curated: { name: "cur-b", arn: "arn:aws:s3:::cur-b" } },
        artefactsBucket: { name: "art-b", arn: "arn:aws:s3:::art-b" },
        stateTable: { name: "state", arn: "arn:aws:dynamodb:eu-west-1:123456789012:table/state", pendingLoadIndexArn: "arn:aws:dynamodb:eu-west-1:123456789012:table/state/index/pending-load" },
        maxFailedPercent: 2.5,
        lakeKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/lake",
        operationsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/ops",
        securityConfigurationName: "sec-config",
        connectionName: "vpc-conn",
        workerType: "G.1X",
        numberOfWorkers: 5,
        executionClass,
        timeoutMinutes: 60,
        maxRetries: 2,
        account: testAccount,
    });
const build = (name: string, executionClass: "STANDARD" | "FLEX" = "FLEX") => new SparkEtlJobs(name, args(name, executionClass));

describe("SparkEtlJobs", () => {
    it("runs the shipped script on the current Glue version with its own input watermark (bookmarks off), grouping, logging and metrics", async () => {
        const resources = await resourcesUnder(build("etl-a"));
        const job = single(resources, "aws:glue/job:Job").inputs as any;
        assert.equal(job.glueVersion, "5.0");
        assert.equal(job.command.name, "glueetl");
        // Code lives in the artefacts bucket, away from the data zones' expiring and archiving lifecycles.
        assert.equal(job.command.scriptLocation, "s3://art-b/glue/scripts/raw_to_curated.py");
        assert.equal(job.defaultArguments["--TempDir"], "s3://art-b/tmp/glue/orders/");
        assert.equal(job.defaultArguments["--job-bookmark-option"], "job-bookmark-disable");
        assert.equal(job.defaultArguments["--group_size"], "134217728");
        assert.equal(job.defaultArguments["--enable-continuous-cloudwatch-log"], "true");
        assert.equal(job.defaultArguments["--enable-metrics"], "true");
        assert.deepEqual([job.workerType, job.numberOfWorkers, job.executionClass, job.maxRetries, job.timeout], ["G.1X", 5, "FLEX", 2, 60]);
        assert.equal(job.securityConfiguration, "sec-config");
        assert.deepEqual(job.connections, ["vpc-conn"]);
        const script = ofType(resources, "aws:s3/bucketObjectv2:BucketObjectv2").find((o) => o.inputs.key === "glue/scripts/raw_to_curated.py")!.inputs as any;
        assert.equal(script.serverSideEncryption, "aws:kms");
        assert.match(String(script.source.asset), /raw_to_curated\.py$/);
    });

    it("attaches a DQDL ruleset with completeness, uniqueness and ranges to the curated table", async () => {
        const ruleset = single(await resourcesUnder(build("etl-b")), "aws:glue/dataQualityRuleset:DataQualityRuleset").inputs as any;
        assert.deepEqual(ruleset.targetTable, { databaseName: "curated_orders", tableName: "orders" });
        for (const rule of ['IsComplete "order_id"', 'IsComplete "amount"', 'IsUnique "order_id"', 'ColumnValues "amount" >= 0', 'ColumnValues "amount" <= 1000000']) {
            assert.ok(String(ruleset.ruleset).includes(rule), rule);
        }
        assert.ok(!String(ruleset.ruleset).includes('IsComplete "note"'));
    });

    it("uses IsPrimaryKey for composite keys", () => {
        assert.match(qualityRuleset({ primaryKey: ["a", "b"], columns: [] }), /IsPrimaryKey "a" "b"/);
    });

    it("lets the job role read the raw zone and write the curated zone, by zone: the same policy size at any domain count", async () => {
        const statements = JSON.parse(String(single(await resourcesUnder(build("etl-c")), "aws:iam/rolePolicy:RolePolicy").inputs.policy)).Statement;
        assert.deepEqual(statements.find((s: any) => s.Sid === "ReadRawDomains").Action, ["s3:GetObject", "s3:ListBucket"], "raw is read, never written");
        assert.deepEqual(statements.find((s: any) => s.Sid === "ReadRawDomains").Resource, ["arn:aws:s3:::raw-b", "arn:aws:s3:::raw-b/*"]);
        assert.deepEqual(statements.find((s: any) => s.Sid === "WriteCuratedDomains").Resource, ["arn:aws:s3:::cur-b", "arn:aws:s3:::cur-b/*"]);
        const catalog = statements.find((s: any) => s.Sid === "CatalogReadAndPartitionWrite").Resource;
        assert.ok(catalog.every((r: string) => !/orders/.test(r)), "the catalog by the platform's database patterns, no domain named");
        // The watermark and commit markers read, the commit transaction's Put and Update (no Delete, no Scan).
        assert.deepEqual(statements.find((s: any) => s.Sid === "RecordRuns").Action, ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]);
        // A backfill merges and deletes nothing: no look at the runs waiting for the load.
        assert.equal(statements.find((s: any) => s.Sid === "FindPendingLoads"), undefined);
        assert.ok(statements.every((s: any) => ![s.Action].flat().includes("dynamodb:Query")));
        for (const s of statements) assert.ok(![s.Action].flat().includes("*"), `${s.Sid} has a * action`);
        assert.equal(ofType(await resourcesUnder(build("etl-d", "STANDARD")), "aws:glue/job:Job")[0].inputs.executionClass, "STANDARD");
    });

    it("reads closed arrival hours by path: the closing delay from the domain's Firehose buffer interval, its staging prefix and watermark keys", async () => {
        const job = single(await resourcesUnder(build("etl-ri")), "aws:glue/job:Job").inputs as any;
        assert.deepEqual(
            ["--raw_path", "--staging_path", "--close_after_seconds", "--max_hours_per_run", "--input_watermark_key", "--commit_marker_partition"].map((k) => job.defaultArguments[k]),
            ["s3://raw-b/orders/", "s3://cur-b/_staging/orders/", "1500", "24", "input#orders|raw-hours", "commit#orders"],
            "without a declared buffer interval, Firehose's longest (900 s) + the 600 s margin",
        );
        const sized = new SparkEtlJobs("etl-ri2", { ...args("etl-ri2", "FLEX"), domains: [{ ...orders, bufferIntervalSeconds: 120 }], closeMarginSeconds: 300, maxHoursPerRun: 6 });
        const sizedJob = single(await resourcesUnder(sized), "aws:glue/job:Job").inputs as any;
        assert.deepEqual([sizedJob.defaultArguments["--close_after_seconds"], sizedJob.defaultArguments["--max_hours_per_run"]], ["420", "6"]);
    });

    it("evaluates the domain's ruleset on every run, quarantines failing rows and fails above the threshold", async () => {
        const job = single(await resourcesUnder(build("etl-dq")), "aws:glue/job:Job").inputs as any;
        assert.equal(job.defaultArguments["--dq_ruleset"], "etl-dq-orders-curated");
        assert.equal(job.defaultArguments["--quarantine_path"], "s3://cur-b/_quarantine/orders/");
        assert.equal(job.defaultArguments["--max_failed_percent"], "2.5");
        assert.equal(job.defaultArguments["--manifest_prefix"], "s3://cur-b/_changes/orders/_manifests/");
        assert.equal(job.defaultArguments["--changes_path"], "s3://cur-b/_changes/orders/", "the change set lies outside the table's location (s3://cur-b/iceberg/orders/)");
        assert.equal(job.defaultArguments["--state_table"], "state");
    });

    it("ships the domain's transformation, generated from its contract, next to the script, and names it in the job's arguments", async () => {
        const resources = await resourcesUnder(build("etl-sql"));
        const job = single(resources, "aws:glue/job:Job").inputs as any;
        const text = JSON.stringify(jobStatements(orders), null, 2);
        const { batch, ...merge } = icebergMergeSql(orders);
        assert.deepEqual(JSON.parse(text), { ...transformSql(orders), ...merge }, "the transformation and the MERGE, whose batch is the transformation's curated statement");
        assert.equal(batch, transformSql(orders).curated);
        const sql = ofType(resources, "aws:s3/bucketObjectv2:BucketObjectv2").find((o) => String(o.inputs.key).startsWith("glue/sql/"))!.inputs as any;
        assert.equal(sql.content, text);
        assert.equal(sql.key, transformSqlKey("orders", text));
        assert.match(sql.key, /^glue\/sql\/orders-[0-9a-f]{16}\.json$/);
        assert.deepEqual([sql.bucket, sql.serverSideEncryption, sql.kmsKeyId], ["art-b", "aws:kms", "arn:aws:kms:eu-west-1:123456789012:key/lake"]);
        assert.equal(job.defaultArguments["--transform_sql"], `s3://art-b/${sql.key}`);
        // The job role reads it where it reads its script.
        const statements = JSON.parse(String(single(resources, "aws:iam/rolePolicy:RolePolicy").inputs.policy)).Statement;
        assert.equal(statements.find((s: any) => s.Sid === "ReadScript").Resource, "arn:aws:s3:::art-b/glue/*");
        // A changed contract is another object, so the job definition always names the SQL it runs.
        const changed = transformSqlKey("orders", JSON.stringify(jobStatements({ ...orders, columns: orders.columns.map((c) => (c.name === "note" ? { ...c, nullable: false } : c)) }), null, 2));
        assert.notEqual(changed, sql.key);
    });

    it("reads and writes the partition layout of lib/layout.ts", async () => {
        const job = single(await resourcesUnder(build("etl-e")), "aws:glue/job:Job").inputs as any;
        assert.equal(job.defaultArguments["--source_partition_keys"], "year,month,day,hour");
        assert.equal(job.defaultArguments["--quarantine_partition_keys"], "year,month,day", "the quarantine keeps the arrival day; the Iceberg table partitions itself");
        assert.equal(job.defaultArguments["--target_partition_keys"], undefined);
        const keyed = new SparkEtlJobs("etl-f", { ...args("etl-f", "FLEX"), domains: [{ ...orders, partitionKey: "region" }] });
        const keyedJob = single(await resourcesUnder(keyed), "aws:glue/job:Job").inputs as any;
        assert.equal(keyedJob.defaultArguments["--source_partition_keys"], "region_partition,year,month,day,hour");
    });

    it("ships a script that is valid Python and reads every argument the job passes", async () => {
        const job = single(await resourcesUnder(build("etl-py")), "aws:glue/job:Job").inputs as any;
        const script = path.resolve(__dirname, "../../../components/etl/scripts/raw_to_curated.py");
        const compiled = spawnSync("python3", ["-m", "py_compile", script], { encoding: "utf8" });
        assert.equal(compiled.status, 0, compiled.stderr);
        const text = fs.readFileSync(script, "utf8");
        const declared = [...text.matchAll(/^ {4}"([a-z_]+)",$/gm)].map((m) => m[1]);
        for (const arg of Object.keys(job.defaultArguments).filter((k) => !k.startsWith("--enable") && !["--job-language", "--job-bookmark-option", "--datalake-formats", "--TempDir", "--conf"].includes(k)).map((k) => k.slice(2))) {
            assert.ok(declared.includes(arg), `the script does not read --${arg}`);
        }
        assert.ok(declared.includes("transform_sql") && declared.includes("changes_path"));
        assert.ok(!declared.includes("state_pending_index"), "a backfill no longer reads the pending loads");
    });
});

describe("SparkEtlJobs: sized per domain", () => {
    const clicks = { ...orders, name: "clicks", source: { database: "raw_clicks", table: "clicks" }, target: { database: "curated_clicks", table: "clicks" } };

    it("gives each domain its own workers, the args' count for a domain that declares none", async () => {
        const name = "etl-sized";
        const resources = await resourcesUnder(new SparkEtlJobs(name, { ...args(name, "STANDARD"), domains: [{ ...orders, numberOfWorkers: 3 }, clicks] }));
        const workers = Object.fromEntries(ofType(resources, "aws:glue/job:Job").map((j) => [(j.inputs as any).defaultArguments["--domain"], (j.inputs as any).numberOfWorkers]));
        assert.deepEqual(workers, { orders: 3, clicks: 5 });
    });

    it("turns Glue auto scaling on (NumberOfWorkers the maximum) and passes the skew-safe and Iceberg Spark settings in one --conf", async () => {
        const resources = await resourcesUnder(build("etl-scaling", "STANDARD"));
        const job = single(resources, "aws:glue/job:Job").inputs as any;
        assert.equal(job.defaultArguments["--enable-auto-scaling"], "true");
        assert.deepEqual(parseSparkConfArgument(job.defaultArguments["--conf"]), { ...SKEW_SAFE_SPARK_CONF, ...icebergSparkConf("s3://cur-b/") });
        assert.ok(
            String(job.defaultArguments["--conf"]).startsWith("spark.sql.adaptive.enabled=true --conf spark.sql.adaptive.skewJoin.enabled=true --conf spark.sql.adaptive.coalescePartitions.enabled=true --conf spark.sql.extensions="),
        );
    });

    it("runs the Iceberg framework of Glue 5.0: --datalake-formats iceberg, the glue_catalog backed by the Glue catalog with S3FileIO, the session in UTC", async () => {
        const job = single(await resourcesUnder(build("etl-iceberg", "STANDARD")), "aws:glue/job:Job").inputs as any;
        assert.equal(job.glueVersion, "5.0");
        assert.equal(job.defaultArguments["--datalake-formats"], "iceberg");
        const conf = parseSparkConfArgument(job.defaultArguments["--conf"]);
        assert.equal(conf["spark.sql.extensions"], "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions");
        assert.equal(conf["spark.sql.catalog.glue_catalog"], "org.apache.iceberg.spark.SparkCatalog");
        assert.equal(conf["spark.sql.catalog.glue_catalog.catalog-impl"], "org.apache.iceberg.aws.glue.GlueCatalog");
        assert.equal(conf["spark.sql.catalog.glue_catalog.io-impl"], "org.apache.iceberg.aws.s3.S3FileIO");
        assert.equal(conf["spark.sql.catalog.glue_catalog.warehouse"], "s3://cur-b/");
        assert.equal(conf["spark.sql.session.timeZone"], "UTC");
        const script = fs.readFileSync(path.resolve(__dirname, "../../../components/etl/scripts/raw_to_curated.py"), "utf8");
        assert.match(script, /^ICEBERG_CATALOG = "glue_catalog"$/m, "the script merges into the catalog the --conf declares");
    });

    it("leaves auto scaling off when asked", async () => {
        const name = "etl-fixed";
        const job = single(await resourcesUnder(new SparkEtlJobs(name, { ...args(name, "STANDARD"), autoScaling: false })), "aws:glue/job:Job").inputs as any;
        assert.equal(job.defaultArguments["--enable-auto-scaling"], undefined);
    });
});
