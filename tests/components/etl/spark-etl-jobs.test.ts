import { ofType, resourcesUnder, single, testAccount } from "../../helpers/mock-session";
import * as assert from "node:assert/strict";
import { qualityRuleset, SparkEtlJobs } from "../../../components/etl";

const orders = {
    name: "orders",
    source: { database: "raw_orders", table: "orders" },
    target: { database: "curated_orders", table: "orders" },
    primaryKey: ["order_id"],
    eventTimeColumn: "ordered_at",
    columns: [
        { name: "order_id", required: true },
        { name: "amount", required: true, min: 0, max: 1000000 },
        { name: "note", required: false },
    ],
};

const build = (name: string, executionClass: "STANDARD" | "FLEX" = "FLEX") =>
    new SparkEtlJobs(name, {
        namePrefix: name,
        domains: [orders],
        buckets: { raw: { name: "raw-b", arn: "arn:aws:s3:::raw-b" }, curated: { name: "cur-b", arn: "arn:aws:s3:::cur-b" } },
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

describe("SparkEtlJobs", () => {
    it("runs the shipped script on the current Glue version with bookmarks, grouping, logging and metrics", async () => {
        const resources = await resourcesUnder(build("etl-a"));
        const job = single(resources, "aws:glue/job:Job").inputs as any;
        assert.equal(job.glueVersion, "5.0");
        assert.equal(job.command.name, "glueetl");
        assert.equal(job.command.scriptLocation, "s3://raw-b/_platform/glue/scripts/raw_to_curated.py");
        assert.equal(job.defaultArguments["--job-bookmark-option"], "job-bookmark-enable");
        assert.equal(job.defaultArguments["--group_size"], "134217728");
        assert.equal(job.defaultArguments["--enable-continuous-cloudwatch-log"], "true");
        assert.equal(job.defaultArguments["--enable-metrics"], "true");
        assert.deepEqual([job.workerType, job.numberOfWorkers, job.executionClass, job.maxRetries, job.timeout], ["G.1X", 5, "FLEX", 2, 60]);
        assert.equal(job.securityConfiguration, "sec-config");
        assert.deepEqual(job.connections, ["vpc-conn"]);
        const script = single(resources, "aws:s3/bucketObjectv2:BucketObjectv2").inputs as any;
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

    it("lets the job role read only its raw domains and write only its curated domains", async () => {
        const statements = JSON.parse(String(single(await resourcesUnder(build("etl-c")), "aws:iam/rolePolicy:RolePolicy").inputs.policy)).Statement;
        assert.deepEqual(statements.find((s: any) => s.Sid === "ReadRawDomains").Resource, ["arn:aws:s3:::raw-b", "arn:aws:s3:::raw-b/orders/*"]);
        assert.deepEqual(statements.find((s: any) => s.Sid === "WriteCuratedDomains").Resource, ["arn:aws:s3:::cur-b", "arn:aws:s3:::cur-b/_tmp/*", "arn:aws:s3:::cur-b/orders/*"]);
        for (const s of statements) assert.ok(![s.Action].flat().includes("*"), `${s.Sid} has a * action`);
        assert.equal(ofType(await resourcesUnder(build("etl-d", "STANDARD")), "aws:glue/job:Job")[0].inputs.executionClass, "STANDARD");
    });
});
