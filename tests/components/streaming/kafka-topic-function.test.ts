import { ofType, policyOf, resourcesUnder, single, testAccount } from "../../helpers/mock-session";
import * as assert from "node:assert/strict";
import Module from "node:module";
import { KafkaTopicFunction, kafkaTopicsBundle } from "../../../components/streaming";

const CLUSTER = "arn:aws:kafka:eu-west-1:123456789012:cluster/lakehouse-dev-kafka/1111-2222-s1";
const OPS_KEY = "arn:aws:kms:eu-west-1:123456789012:key/ops";
const args = {
    functionName: "lakehouse-dev-kafka-topics",
    clusterArn: CLUSTER,
    bootstrapBrokers: "boot-abc.c1.kafka-serverless.eu-west-1.amazonaws.com:9098",
    topicNames: ["orders", "payments"],
    network: { vpcId: "vpc-1", vpcCidr: "10.40.0.0/20", subnetIds: ["subnet-a", "subnet-b"] },
    operationsKeyArn: OPS_KEY,
    logRetentionDays: 14,
    account: testAccount,
    protection: { protect: false, removeDataOnDestroy: true },
};

describe("KafkaTopicFunction", () => {
    it("runs in the private subnets with an encrypted environment naming its cluster, tracing and an encrypted log group", async () => {
        const resources = await resourcesUnder(new KafkaTopicFunction("ktf-a", args));
        const fn = single(resources, "aws:lambda/function:Function").inputs as any;
        assert.deepEqual([fn.name, fn.runtime, fn.architectures, fn.handler], ["lakehouse-dev-kafka-topics", "nodejs22.x", ["arm64"], "handler.handler"]);
        assert.deepEqual(fn.vpcConfig.subnetIds, ["subnet-a", "subnet-b"]);
        assert.equal(fn.vpcConfig.securityGroupIds.length, 1);
        assert.deepEqual(fn.environment.variables, { CLUSTER_ARN: CLUSTER, BOOTSTRAP_BROKERS: args.bootstrapBrokers });
        assert.equal(fn.kmsKeyArn, OPS_KEY);
        assert.deepEqual(fn.tracingConfig, { mode: "Active" });
        assert.equal(fn.reservedConcurrentExecutions, undefined);
        const logGroup = single(resources, "aws:cloudwatch/logGroup:LogGroup").inputs;
        assert.deepEqual([logGroup.name, logGroup.kmsKeyId, logGroup.retentionInDays], ["/aws/lambda/lakehouse-dev-kafka-topics", OPS_KEY, 14]);
        assert.equal(fn.loggingConfig.logGroup, "/aws/lambda/lakehouse-dev-kafka-topics");
    });

    it("reaches only the brokers' IAM port and HTTPS endpoints, inside the VPC, and admits nothing", async () => {
        const resources = await resourcesUnder(new KafkaTopicFunction("ktf-b", args));
        assert.equal(ofType(resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").length, 0);
        const egress = ofType(resources, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule");
        assert.deepEqual(egress.map((r) => [r.inputs.ipProtocol, r.inputs.fromPort, r.inputs.toPort, r.inputs.cidrIpv4]).sort(), [
            ["tcp", 443, 443, "10.40.0.0/20"],
            ["tcp", 9098, 9098, "10.40.0.0/20"],
        ]);
    });

    it("may connect to its cluster and create, describe and alter only the named topics", async () => {
        const statements = policyOf(single(await resourcesUnder(new KafkaTopicFunction("ktf-c", args)), "aws:iam/rolePolicy:RolePolicy")).Statement;
        const sid = (name: string) => statements.find((s) => s.Sid === name);
        assert.deepEqual([sid("ConnectToCluster").Action, sid("ConnectToCluster").Resource], [["kafka-cluster:Connect"], CLUSTER]);
        assert.deepEqual(sid("ManageTopics").Resource, [
            "arn:aws:kafka:eu-west-1:123456789012:topic/lakehouse-dev-kafka/1111-2222-s1/orders",
            "arn:aws:kafka:eu-west-1:123456789012:topic/lakehouse-dev-kafka/1111-2222-s1/payments",
        ]);
        assert.deepEqual(sid("ManageTopics").Action.sort(), [
            "kafka-cluster:AlterTopic",
            "kafka-cluster:AlterTopicDynamicConfiguration",
            "kafka-cluster:CreateTopic",
            "kafka-cluster:DescribeTopic",
            "kafka-cluster:DescribeTopicDynamicConfiguration",
        ]);
        assert.ok(!statements.some((s) => s.Action.some((a: string) => a.startsWith("kafka-cluster:")) && [s.Resource].flat().includes("*")));
        assert.deepEqual(sid("DecryptEnvironment").Resource, OPS_KEY);
    });

    it("reserves concurrency only when asked", async () => {
        const fn = single(await resourcesUnder(new KafkaTopicFunction("ktf-d", { ...args, reservedConcurrency: 1 })), "aws:lambda/function:Function").inputs;
        assert.equal(fn.reservedConcurrentExecutions, 1);
    });

    it("ships the handler bundled with its Kafka client and MSK signer, the same bytes on every run", async () => {
        const code = kafkaTopicsBundle();
        assert.equal(code, kafkaTopicsBundle());
        assert.ok(!/require\("(kafkajs|aws-msk-iam-sasl-signer-js)"\)/.test(code), "dependencies are bundled, not required at run time");
        const bundle = new Module("kafka-topics-bundle") as Module & { _compile(code: string, file: string): void };
        bundle._compile(code, "handler.js");
        const { handler } = bundle.exports as { handler: (event: unknown) => Promise<unknown> };
        const saved = { ...process.env };
        try {
            process.env.CLUSTER_ARN = CLUSTER;
            // Checked before any connection: a request for another cluster, or a malformed one, never reaches a broker.
            await assert.rejects(handler({ clusterArn: CLUSTER.replace("1111", "9999"), topics: [{ name: "orders", partitions: 6, replicationFactor: 3, configs: {} }] }), /this function manages .*1111-2222-s1, not/);
            await assert.rejects(handler({ clusterArn: CLUSTER, topics: [] }), /invalid request: topics is not a non-empty list/);
        } finally {
            process.env = saved;
        }
    });
});
