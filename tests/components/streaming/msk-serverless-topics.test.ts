import { allRecorded, ofType, resolved, resourcesUnder, single, testAccount } from "../../helpers/mock-session";
import * as assert from "node:assert/strict";
import { MskServerlessTopics } from "../../../components/streaming";

const CLUSTER = "arn:aws:kafka:eu-west-1:123456789012:cluster/lakehouse-dev-kafka/1111-2222-s1";

describe("MskServerlessTopics", () => {
    const build = (name: string) =>
        new MskServerlessTopics(name, {
            functionName: `${name}-fn`,
            clusterArn: CLUSTER,
            bootstrapBrokers: "boot-abc.c1.kafka-serverless.eu-west-1.amazonaws.com:9098",
            topics: [
                { name: "orders", partitions: 6, replicationFactor: 3, minInSyncReplicas: 2, retentionMs: 86_400_000 },
                { name: "payments", partitions: 8, replicationFactor: 3, minInSyncReplicas: 2, retentionMs: 604_800_000 },
            ],
            network: { vpcId: "vpc-1", vpcCidr: "10.40.0.0/20", subnetIds: ["subnet-a", "subnet-b"] },
            operationsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/ops",
            logRetentionDays: 14,
            account: testAccount,
            protection: { protect: false, removeDataOnDestroy: true },
        });

    it("invokes the topic function at deploy time with the cluster and every topic's partitions, replication and retention", async () => {
        const component = build("mst-a");
        const resources = await resourcesUnder(component);
        const invocation = single(resources, "aws:lambda/invocation:Invocation");
        assert.equal(invocation.inputs.functionName, "mst-a-fn");
        assert.deepEqual(JSON.parse(String(invocation.inputs.input)), {
            clusterArn: CLUSTER,
            topics: [
                { name: "orders", partitions: 6, replicationFactor: 3, configs: { "retention.ms": "86400000" } },
                { name: "payments", partitions: 8, replicationFactor: 3, configs: { "retention.ms": "604800000" } },
            ],
        });
        assert.deepEqual(Object.keys(component.created), ["orders", "payments"]);
        assert.equal(await resolved(component.created.orders.urn), invocation.urn);
    });

    it("invokes only once the whole function exists, its role's policy and log group included", async () => {
        const resources = await resourcesUnder(build("mst-b"));
        const invocation = single(resources, "aws:lambda/invocation:Invocation");
        for (const type of ["aws:lambda/function:Function", "aws:iam/rolePolicy:RolePolicy", "aws:iam/role:Role", "aws:cloudwatch/logGroup:LogGroup", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"]) {
            for (const r of ofType(resources, type)) assert.ok(invocation.dependencies.includes(r.urn), `${type} ${r.name}`);
        }
        assert.ok((await allRecorded()).some((r) => r.type === "lakehouse:streaming:KafkaTopicFunction" && r.name === "mst-b"));
    });
});
