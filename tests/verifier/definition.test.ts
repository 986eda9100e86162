import * as assert from "node:assert/strict";
import { copyStatements, pathLayout, resolvedTasks } from "../../verifier/definition";

const definition = {
    StartAt: "Prepare",
    States: {
        Prepare: {
            Type: "Pass",
            Parameters: {
                domains: [
                    { name: "orders", jobName: "orders-job", path: "s3://curated/orders/", table: "staging.orders" },
                    { name: "clicks", jobName: "clicks-job", path: "s3://curated/clicks/", table: "staging.clicks" },
                ],
            },
            Next: "Each",
        },
        Each: {
            Type: "Map",
            ItemsPath: "$.domains",
            ItemProcessor: {
                StartAt: "Run",
                States: {
                    Run: { Type: "Task", Resource: "arn:aws:states:::glue:startJobRun.sync", Parameters: { "JobName.$": "$.domain.jobName" }, Next: "Copy" },
                    Copy: {
                        Type: "Task",
                        Resource: "arn:aws:states:::aws-sdk:redshiftdata:executeStatement",
                        Parameters: { ClusterIdentifier: "wh", "Sql.$": "States.Format('COPY {} FROM \\'{}day={}/\\' IAM_ROLE \\'arn:aws:iam::1:role/r\\' FORMAT AS PARQUET', $.domain.table, $.domain.path, $.day)" },
                        End: true,
                    },
                },
            },
            End: true,
        },
    },
};

describe("reading a state machine definition", () => {
    it("gives each task once per literal item its dynamic parameters read, with the item's name", () => {
        const tasks = resolvedTasks(definition);
        assert.deepEqual(
            tasks.filter((t) => t.state === "Run").map((t) => [t.item, t.parameters.JobName]),
            [
                ["orders", "orders-job"],
                ["clicks", "clicks-job"],
            ],
        );
        const copy = tasks.find((t) => t.state === "Copy" && t.item === "orders")!;
        assert.equal(copy.parameters.Sql, "COPY staging.orders FROM 's3://curated/orders/day=<$.day>/' IAM_ROLE 'arn:aws:iam::1:role/r' FORMAT AS PARQUET");
        assert.equal(copy.parameters.ClusterIdentifier, "wh");
    });

    it("finds COPY and UNLOAD statements with their path, role and manifest flag", () => {
        assert.deepEqual(copyStatements("BEGIN; COPY staging.t (a, b) FROM 's3://b/p/manifest.json' IAM_ROLE 'arn:r' MANIFEST FORMAT AS PARQUET; UNLOAD ('select 1') TO 's3://b/out/' IAM_ROLE 'arn:r'; END"), [
            { kind: "copy", table: "staging.t", path: "s3://b/p/manifest.json", iamRole: "arn:r", manifest: true },
            { kind: "unload", path: "s3://b/out/", iamRole: "arn:r", manifest: false },
        ]);
    });

    it("splits a path into its fixed root and the partition keys after it, in order", () => {
        assert.deepEqual(pathLayout("s3://curated/orders/year=<$.y>/month=<$.m>/day=<$.d>/"), { root: "s3://curated/orders/", partitionKeys: ["year", "month", "day"] });
        assert.deepEqual(pathLayout("s3://curated/orders/"), { root: "s3://curated/orders/", partitionKeys: [] });
    });
});
