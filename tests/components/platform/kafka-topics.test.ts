import * as assert from "node:assert/strict";
import * as path from "node:path";
import { parseStackConfig, readStackFile } from "../../../config/loader";
import { planJson } from "../../helpers/run-cli";

type Planned = { urn: string; type: string; name: string; inputs: Record<string, any>; dependencies: string[] };
const plan = (stack: string) => planJson(stack, ["--no-policies"]).doc.resources as unknown as Planned[];
const sizes = (stack: string) => parseStackConfig(readStackFile(path.resolve(__dirname, `../../../stacks/Pulumi.${stack}.yaml`))).sizes;
const ofType = (resources: Planned[], type: string) => resources.filter((r) => r.type === type);

describe("LakehousePlatform: every MSK domain's topic exists before Firehose reads it", () => {
    for (const stack of ["staging", "prod"]) {
        it(`${stack} (provisioned): one aws.msk.Topic per MSK domain, sized from the domain, and Firehose waits for it and the cluster policy`, () => {
            const resources = plan(stack);
            const expected = sizes(stack).topics;
            const topics = ofType(resources, "aws:msk/topic:Topic");
            assert.deepEqual(topics.map((t) => t.inputs.name).sort(), Object.keys(expected).sort());
            for (const topic of topics) {
                const want = expected[topic.inputs.name];
                assert.match(topic.inputs.clusterArn, new RegExp(`:cluster/lakehouse-${stack}-kafka/`));
                assert.deepEqual([topic.inputs.partitionCount, topic.inputs.replicationFactor], [want.partitions, want.replicationFactor]);
                assert.deepEqual(JSON.parse(topic.inputs.configs), { "retention.ms": String(want.retentionMs), "min.insync.replicas": String(want.minInSyncReplicas) });
                const policy = ofType(resources, "aws:msk/clusterPolicy:ClusterPolicy")[0];
                const delivery = ofType(resources, "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream").find((d) => d.inputs.mskSourceConfiguration?.topicName === topic.inputs.name);
                assert.ok(delivery, `a delivery stream reads ${topic.inputs.name}`);
                assert.ok(delivery.dependencies.includes(topic.urn), "waits for the topic");
                assert.ok(delivery.dependencies.includes(policy.urn), "waits for the cluster policy");
            }
        });
    }

    it("dev (Serverless): the topic function is invoked with every MSK domain's topic, and Firehose waits for it and the cluster policy", () => {
        const resources = plan("dev");
        const expected = sizes("dev").topics;
        // By name: the stack invokes other functions at deploy time too (the warehouse schema's).
        const invocation = ofType(resources, "aws:lambda/invocation:Invocation").find((r) => r.name === "lakehouse-dev-kafka-topics")!;
        assert.ok(invocation, "the Kafka topics invocation");
        const input = JSON.parse(invocation.inputs.input);
        assert.match(input.clusterArn, /^arn:aws:kafka:eu-west-1:\d{12}:cluster\/lakehouse-dev-kafka\//);
        assert.deepEqual(
            input.topics,
            Object.entries(expected).map(([name, t]) => ({ name, partitions: t.partitions, replicationFactor: t.replicationFactor, configs: { "retention.ms": String(t.retentionMs) } })),
        );
        const fn = ofType(resources, "aws:lambda/function:Function").find((f) => f.inputs.name === invocation.inputs.functionName);
        assert.ok(fn, "invokes the topic function");
        assert.deepEqual(fn.inputs.vpcConfig.subnetIds.length, 2);
        const policy = ofType(resources, "aws:msk/clusterPolicy:ClusterPolicy")[0];
        const delivery = ofType(resources, "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream").find((d) => d.inputs.mskSourceConfiguration?.topicName === "orders");
        assert.ok(delivery?.dependencies.includes(invocation.urn), "waits for the topic");
        assert.ok(delivery?.dependencies.includes(policy.urn), "waits for the cluster policy");
        assert.equal(ofType(resources, "aws:msk/topic:Topic").length, 0, "Serverless has no topic API");
    });
});
