import { ofType, resourcesUnder } from "../../helpers/mock-session";
import * as assert from "node:assert/strict";
import { MskTopics } from "../../../components/streaming";

const CLUSTER = "arn:aws:kafka:eu-west-1:123456789012:cluster/lakehouse-prod-kafka/1111-2222-3";
const topics = [
    { name: "orders", partitions: 6, replicationFactor: 3, minInSyncReplicas: 2, retentionMs: 168 * 3_600_000 },
    { name: "payments", partitions: 12, replicationFactor: 2, minInSyncReplicas: 1, retentionMs: 24 * 3_600_000 },
];

describe("MskTopics", () => {
    it("creates each declared topic with MSK's topic API: its partitions, replicas, retention and in-sync replicas", async () => {
        const component = new MskTopics("topics-a", { clusterArn: CLUSTER, topics, protection: { protect: true, removeDataOnDestroy: false } });
        const created = ofType(await resourcesUnder(component), "aws:msk/topic:Topic");
        assert.deepEqual(
            created.map((t) => [t.inputs.name, t.inputs.clusterArn, t.inputs.partitionCount, t.inputs.replicationFactor, JSON.parse(String(t.inputs.configs))]),
            [
                ["orders", CLUSTER, 6, 3, { "retention.ms": "604800000", "min.insync.replicas": "2" }],
                ["payments", CLUSTER, 12, 2, { "retention.ms": "86400000", "min.insync.replicas": "1" }],
            ],
        );
        // Deleting a topic deletes its records: protected and retained as the environment says. A
        // retained, fixed-name topic could not be replaced (the create would find it), so the one
        // input that forces a replacement on the same cluster is not changed after creation.
        for (const t of created) assert.deepEqual([t.protect, t.retainOnDelete, t.options.deleteBeforeReplace, t.options.ignoreChanges], [true, true, undefined, ["replicationFactor"]]);
        assert.deepEqual(Object.keys(component.created), ["orders", "payments"]);
    });

    it("lets an environment that removes its data on destroy delete its topics", async () => {
        const created = ofType(await resourcesUnder(new MskTopics("topics-b", { clusterArn: CLUSTER, topics: topics.slice(0, 1), protection: { protect: false, removeDataOnDestroy: true } })), "aws:msk/topic:Topic");
        assert.deepEqual([created[0].protect, created[0].retainOnDelete], [false, false]);
    });
});
