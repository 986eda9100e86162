import { ofType, policyOf, resourcesUnder, single, testAccount } from "../../helpers/mock-session";
import * as assert from "node:assert/strict";
import { IngestionValidator } from "../../../components/orchestration";

const QUEUE = "arn:aws:sqs:eu-west-1:123456789012:ingest";
const STREAM = "arn:aws:kinesis:eu-west-1:123456789012:stream/orders";
const OPS_KEY = "arn:aws:kms:eu-west-1:123456789012:key/ops";

describe("IngestionValidator", () => {
    let resources: Awaited<ReturnType<typeof resourcesUnder>>;
    before(async () => {
        resources = await resourcesUnder(
            new IngestionValidator("iv-a", {
                functionName: "iv-a",
                domains: [{ name: "orders", columns: [{ name: "order_id", type: "string", nullable: false }], primaryKey: ["order_id"], streamName: "orders", streamArn: STREAM }],
                queueArn: QUEUE,
                deadLetterQueue: { arn: `${QUEUE}-dlq`, url: "https://sqs.eu-west-1.amazonaws.com/123456789012/ingest-dlq" },
                queueKeyArn: OPS_KEY,
                streamKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/streaming",
                operationsKeyArn: OPS_KEY,
                reservedConcurrency: 7,
                maximumConcurrency: 6,
                batchSize: 100,
                batchWindowSeconds: 5,
                memoryMb: 256,
                timeoutSeconds: 30,
                network: { vpcId: "vpc-1", vpcCidr: "10.20.0.0/16", subnetIds: ["subnet-a", "subnet-b"], s3PrefixListId: "pl-s3" },
                logRetentionDays: 90,
                account: testAccount,
                protection: { protect: true, removeDataOnDestroy: false },
            }),
        );
    });

    it("runs on Node.js 22 in the private subnets, with reserved concurrency, X-Ray, a CMK on its environment and its own log group", () => {
        const fn = single(resources, "aws:lambda/function:Function").inputs as any;
        assert.deepEqual([fn.runtime, fn.handler, fn.architectures], ["nodejs22.x", "handler.handler", ["arm64"]]);
        assert.equal(fn.reservedConcurrentExecutions, 7);
        assert.deepEqual(fn.tracingConfig, { mode: "Active" });
        assert.equal(fn.kmsKeyArn, OPS_KEY);
        assert.deepEqual(fn.environment.variables, { DEAD_LETTER_QUEUE_URL: "https://sqs.eu-west-1.amazonaws.com/123456789012/ingest-dlq" });
        assert.deepEqual(fn.vpcConfig.subnetIds, ["subnet-a", "subnet-b"]);
        const logGroup = single(resources, "aws:cloudwatch/logGroup:LogGroup");
        assert.deepEqual([logGroup.inputs.name, logGroup.inputs.retentionInDays, logGroup.inputs.kmsKeyId, logGroup.protect], ["/aws/lambda/iv-a", 90, OPS_KEY, true]);
        assert.deepEqual(fn.loggingConfig, { logFormat: "JSON", logGroup: "/aws/lambda/iv-a" });
    });

    it("consumes the queue with partial batch responses, never scaling past its reserved concurrency", () => {
        const mapping = single(resources, "aws:lambda/eventSourceMapping:EventSourceMapping").inputs as any;
        assert.equal(mapping.eventSourceArn, QUEUE);
        assert.deepEqual(mapping.functionResponseTypes, ["ReportBatchItemFailures"]);
        assert.deepEqual(mapping.scalingConfig, { maximumConcurrency: 6 });
        assert.deepEqual([mapping.batchSize, mapping.maximumBatchingWindowInSeconds], [100, 5]);
    });

    it("may consume the queue, park in its dead-letter queue and write the domain streams, with their keys", () => {
        const statements = policyOf(single(resources, "aws:iam/rolePolicy:RolePolicy")).Statement;
        const sid = (id: string) => statements.find((s) => s.Sid === id);
        assert.deepEqual(sid("ConsumeQueue").Resource, QUEUE);
        assert.deepEqual(sid("ParkInvalidRecords").Resource, `${QUEUE}-dlq`);
        assert.deepEqual(sid("ForwardToStreams").Resource, [STREAM]);
        assert.equal(sid("UseStreamKey").Condition.StringEquals["kms:ViaService"], "kinesis.eu-west-1.amazonaws.com");
        assert.equal(sid("UseQueueKey").Condition.StringEquals["kms:ViaService"], "sqs.eu-west-1.amazonaws.com");
        assert.ok(statements.every((s) => s.Resource !== "*" || /^(Tracing|VpcNetworkInterfaces)$/.test(s.Sid)), "only X-Ray and ENI actions, which have no resource scoping, are on *");
        const egress = ofType(resources, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").map((r) => r.inputs.cidrIpv4 ?? r.inputs.prefixListId);
        assert.deepEqual(egress, ["10.20.0.0/16", "pl-s3"]);
    });
});
