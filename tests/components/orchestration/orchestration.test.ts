import { policyOf, resourcesUnder, single, testAccount } from "../../helpers/mock-session";
import * as assert from "node:assert/strict";
import { IngestionQueue, loadDefinition, WarehouseLoadPipeline } from "../../../components/orchestration";

const definitionInput = {
    domains: [{ name: "orders", jobName: "job-orders", curatedPath: "s3://cur-b/orders/", targetTable: "staging.orders" }],
    target: { kind: "cluster" as const, clusterIdentifier: "wh", database: "lakehouse", dbUser: "etl_loader" },
    warehouseLakeRoleArn: "arn:aws:iam::123456789012:role/lake",
    alertTopicArn: "arn:aws:sns:eu-west-1:123456789012:alerts",
};

describe("warehouse load definition", () => {
    const definition = loadDefinition(definitionInput) as any;
    const item = definition.States.LoadDomains.ItemProcessor.States;

    it("runs the Glue job synchronously, then a Redshift Data API COPY", () => {
        assert.equal(item.TransformRawToCurated.Resource, "arn:aws:states:::glue:startJobRun.sync");
        assert.equal(item.TransformRawToCurated.Next, "CopyIntoWarehouse");
        assert.equal(item.CopyIntoWarehouse.Resource, "arn:aws:states:::aws-sdk:redshiftdata:executeStatement");
        assert.equal(item.CopyIntoWarehouse.Parameters.ClusterIdentifier, "wh");
        assert.equal(item.CopyIntoWarehouse.Parameters.DbUser, "etl_loader");
        assert.match(item.CopyIntoWarehouse.Parameters["Sql.$"], /^States\.Format\('COPY \{\} FROM .*IAM_ROLE \\'arn:aws:iam::123456789012:role\/lake\\' FORMAT AS PARQUET'/);
    });

    it("retries transient errors with exponential backoff", () => {
        for (const state of [item.TransformRawToCurated, item.CopyIntoWarehouse, item.DescribeCopy]) {
            const [retry] = state.Retry;
            assert.ok(retry.BackoffRate >= 2 && retry.MaxAttempts >= 2 && retry.IntervalSeconds > 0);
            assert.ok(!retry.ErrorEquals.includes("States.ALL"), "only transient errors are retried");
        }
    });

    it("catches any failure and publishes it to the alert topic", () => {
        assert.deepEqual(definition.States.LoadDomains.Catch[0].ErrorEquals, ["States.ALL"]);
        assert.equal(definition.States.LoadDomains.Catch[0].Next, "NotifyFailure");
        assert.equal(definition.States.NotifyFailure.Resource, "arn:aws:states:::sns:publish");
        assert.equal(definition.States.NotifyFailure.Parameters.TopicArn, definitionInput.alertTopicArn);
        assert.equal(definition.States.NotifyFailure.Next, "LoadFailed");
    });

    it("addresses a Serverless workgroup without a database user", () => {
        const serverless = loadDefinition({ ...definitionInput, target: { kind: "serverless", workgroupName: "wg", database: "lakehouse" } }) as any;
        const params = serverless.States.LoadDomains.ItemProcessor.States.CopyIntoWarehouse.Parameters;
        assert.equal(params.WorkgroupName, "wg");
        assert.equal(params.DbUser, undefined);
    });
});

describe("WarehouseLoadPipeline", () => {
    it("logs to an encrypted group, traces with X-Ray, encrypts with the operations key, and runs on schedule", async () => {
        const resources = await resourcesUnder(
            new WarehouseLoadPipeline("wl-a", {
                pipelineName: "wl-a",
                domains: [{ name: "orders", jobName: "job-orders", jobArn: "arn:aws:glue:eu-west-1:123456789012:job/job-orders", curatedPath: "s3://cur-b/orders/", targetTable: "staging.orders" }],
                target: { kind: "cluster", clusterIdentifier: "wh", clusterArn: "arn:aws:redshift:eu-west-1:123456789012:cluster:wh", database: "lakehouse", dbUser: "etl_loader" },
                warehouseLakeRoleArn: "arn:aws:iam::123456789012:role/lake",
                alertTopicArn: "arn:aws:sns:eu-west-1:123456789012:alerts",
                operationsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/ops",
                schedule: "rate(1 hour)",
                logging: { retentionDays: 90, logGroupName: "/aws/vendedlogs/states/wl-a" },
                account: testAccount,
                protection: { protect: false, removeDataOnDestroy: false },
            }),
        );
        const sm = single(resources, "aws:sfn/stateMachine:StateMachine").inputs as any;
        assert.equal(sm.loggingConfiguration.level, "ALL");
        assert.equal(sm.loggingConfiguration.logDestination, "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/vendedlogs/states/wl-a:*");
        assert.deepEqual(sm.tracingConfiguration, { enabled: true });
        assert.equal(sm.encryptionConfiguration.type, "CUSTOMER_MANAGED_KMS_KEY");
        assert.ok(JSON.parse(sm.definition).States.LoadDomains);
        const schedule = single(resources, "aws:scheduler/schedule:Schedule").inputs as any;
        assert.equal(schedule.scheduleExpression, "rate(1 hour)");
        assert.equal(schedule.target.arn, "arn:aws:states:eu-west-1:123456789012:stateMachine:wl-a");
        const execution = resources.filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy").flatMap((p) => policyOf(p).Statement);
        assert.deepEqual(execution.find((s) => s.Sid === "RunGlueJobs").Resource, ["arn:aws:glue:eu-west-1:123456789012:job/job-orders"]);
        // The schedule's role encrypts the execution input with the state machine's key, and parks
        // failed starts in an encrypted dead-letter queue.
        const encrypt = execution.find((s) => s.Sid === "EncryptExecutionInput");
        assert.deepEqual(encrypt.Action, ["kms:GenerateDataKey", "kms:Decrypt"]);
        assert.equal(encrypt.Resource, sm.encryptionConfiguration.kmsKeyId);
        assert.equal(encrypt.Condition.StringEquals["kms:EncryptionContext:aws:states:stateMachineArn"], "arn:aws:states:eu-west-1:123456789012:stateMachine:wl-a");
        const dlq = resources.find((r) => r.type === "aws:sqs/queue:Queue" && r.inputs.name === "wl-a-schedule-dlq")!;
        assert.equal(dlq.inputs.kmsMasterKeyId, sm.encryptionConfiguration.kmsKeyId);
        assert.equal(schedule.target.deadLetterConfig.arn, "arn:aws:sqs:eu-west-1:123456789012:wl-a-schedule-dlq");
        assert.equal(execution.find((s) => s.Sid === "ParkFailedStarts").Resource, "arn:aws:sqs:eu-west-1:123456789012:wl-a-schedule-dlq");
    });
});

describe("IngestionQueue", () => {
    it("encrypts both queues with the key and redrives to the DLQ after maxReceiveCount", async () => {
        const resources = await resourcesUnder(new IngestionQueue("iq-a", { queueName: "iq-a", kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/ops", maxReceiveCount: 4 }));
        const queues = resources.filter((r) => r.type === "aws:sqs/queue:Queue");
        assert.equal(queues.length, 2);
        assert.ok(queues.every((q) => q.inputs.kmsMasterKeyId === "arn:aws:kms:eu-west-1:123456789012:key/ops"));
        const main = queues.find((q) => q.inputs.name === "iq-a")!;
        assert.deepEqual(JSON.parse(String(main.inputs.redrivePolicy)), { deadLetterTargetArn: "arn:aws:sqs:eu-west-1:123456789012:iq-a-dlq", maxReceiveCount: 4 });
        const allow = single(resources, "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy").inputs;
        assert.deepEqual(JSON.parse(String(allow.redriveAllowPolicy)), { redrivePermission: "byQueue", sourceQueueArns: ["arn:aws:sqs:eu-west-1:123456789012:iq-a"] });
    });
});
