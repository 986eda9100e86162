import * as assert from "node:assert/strict";
import * as path from "node:path";
import { parseStackConfig, readStackFile } from "../../config/loader";

const stack = (name: string) => structuredClone(readStackFile(path.resolve(__dirname, `../../stacks/Pulumi.${name}.yaml`))) as Record<string, any>;

describe("resolved sizes: Kafka topics", () => {
    it("sizes every MSK domain's topic on Serverless (dev): minimum partitions, Serverless's replication, the domain's retention", () => {
        const { sizes } = parseStackConfig(stack("dev"));
        assert.deepEqual(Object.keys(sizes.topics), ["orders"]);
        assert.deepEqual(sizes.topics.orders, { partitions: 6, replicationFactor: 3, minInSyncReplicas: 2, retentionMs: 24 * 3_600_000, limitedBy: "minimum" });
    });

    it("sizes them on the provisioned cluster (prod): partitions a multiple of its brokers, min(3, brokers) replicas", () => {
        const { sizes } = parseStackConfig(stack("prod"));
        const brokers = sizes.msk!.brokerCount;
        const orders = sizes.topics.orders;
        assert.equal(orders.partitions % brokers, 0);
        assert.ok(orders.partitions >= 6);
        assert.deepEqual([orders.replicationFactor, orders.minInSyncReplicas, orders.retentionMs], [Math.min(3, brokers), Math.min(3, brokers) - 1, 168 * 3_600_000]);
    });

    it("follows the configured broker count and the domain's declared peak", () => {
        const cfg = stack("dev");
        cfg["lakehouse:network"].azCount = 2;
        cfg["lakehouse:streaming"].msk = { mode: "provisioned", brokerCount: 4, brokerInstanceType: "kafka.m7g.large" };
        cfg["lakehouse:domains"][1].peakEventsPerSecond = 30_000; // 45 MB/s of 1,500-byte orders
        cfg["lakehouse:domains"][1].consumers = 3;
        const orders = parseStackConfig(cfg).sizes.topics.orders;
        // Writes need 9 partitions; reads, 135 MB/s at 10 MB/s each, 14, rounded up to 16 for four brokers.
        assert.deepEqual([orders.partitions, orders.limitedBy, orders.replicationFactor, orders.minInSyncReplicas], [16, "read-bytes", 3, 2]);
    });

    it("creates no topic where no domain uses MSK", () => {
        const cfg = stack("dev");
        cfg["lakehouse:domains"][1].transport = "kinesis";
        cfg["lakehouse:streaming"].msk = { mode: "none" };
        assert.deepEqual(parseStackConfig(cfg).sizes.topics, {});
    });
});
