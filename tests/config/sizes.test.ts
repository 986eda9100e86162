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

describe("resolved sizes: Glue workers per domain", () => {
    it("sizes each shipped domain's job from its own volume: in prod the smaller domain no longer gets the larger one's workers", () => {
        const { sizes, glue } = parseStackConfig(stack("prod"));
        // clickstream 800 GB/day and orders 150 GB/day, hourly, on G.2X (4 GB per executor worker), ceiling 10.
        assert.deepEqual(sizes.glueJobs.clickstream, {
            workerType: "G.2X",
            maxWorkers: 10,
            autoScaling: true,
            inputGbPerRun: 33.333,
            requiredWorkers: 10,
            limitedBy: "volume",
            dailyVolumeGb: 800,
            runIntervalSeconds: 3600,
            ceiling: glue.numberOfWorkers,
        });
        assert.deepEqual([sizes.glueJobs.orders.maxWorkers, sizes.glueJobs.orders.inputGbPerRun], [3, 6.25]);
        assert.ok(sizes.glueJobs.orders.maxWorkers < sizes.glueJobs.clickstream.maxWorkers);
    });

    it("reads the run interval from the load schedule: dev's 6-hourly runs take six hours of data each", () => {
        const { sizes } = parseStackConfig(stack("dev"));
        assert.deepEqual([sizes.glueJobs.clickstream.runIntervalSeconds, sizes.glueJobs.clickstream.inputGbPerRun], [21_600, 0.5]);
        assert.equal(sizes.glueJobs.clickstream.limitedBy, "minimum");
    });

    it("gives a big and a small domain of one environment different workers, within config's ceiling (crafted volumes)", () => {
        const cfg = stack("staging");
        cfg["lakehouse:glue"].numberOfWorkers = 8;
        const [bigName, smallName] = cfg["lakehouse:domains"].map((d: { name: string }) => d.name);
        cfg["lakehouse:domains"][0].peakEventsPerSecond = 50_000;
        cfg["lakehouse:domains"][0].dailyVolumeGb = 120; // 5 GB an hour on G.1X: 3 executor workers + the driver
        cfg["lakehouse:domains"][1].dailyVolumeGb = 5;
        const { sizes } = parseStackConfig(cfg);
        assert.deepEqual([sizes.glueJobs[bigName].maxWorkers, sizes.glueJobs[bigName].limitedBy, sizes.glueJobs[smallName].maxWorkers, sizes.glueJobs[smallName].limitedBy], [4, "volume", 2, "minimum"]);
        cfg["lakehouse:domains"][0].dailyVolumeGb = 1000; // 41.7 GB an hour: 22 workers wanted, 8 allowed
        const capped = parseStackConfig(cfg).sizes.glueJobs[bigName];
        assert.deepEqual([capped.maxWorkers, capped.requiredWorkers, capped.limitedBy], [8, 22, "ceiling"]);
    });
});

describe("resolved sizes: Firehose partition bound", () => {
    const errors = (mutate: (cfg: Record<string, any>) => void): string[] => {
        const cfg = stack("prod");
        mutate(cfg);
        try {
            parseStackConfig(cfg);
        } catch (err) {
            return (err as { lines: string[] }).lines;
        }
        assert.fail("expected the configuration to be rejected");
    };

    it("states each partitioned domain's active partitions against the quota", () => {
        const { sizes } = parseStackConfig(stack("prod"));
        assert.deepEqual(sizes.firehosePartitions, {
            clickstream: { key: "event_type", boundBy: "values", keyValues: 7, openTimePartitions: 2, activePartitions: 14, quota: 500 },
        });
    });

    it("refuses declared values that, with the overflow partition and two open hours, exceed the quota, in one line", () => {
        const lines = errors((c) => (c["lakehouse:domains"][0].partitionValues = Array.from({ length: 250 }, (_, i) => `type_${i}`)));
        assert.deepEqual(lines, [
            "lakehouse:domains[0].partitionValues: got 250 values for partitionKey event_type; expected at most 249 values (with the overflow partition _other, 250): 251 values × 2 arrival-hour prefixes open at once (buffer 60 s) = 502 active partitions, above the Firehose quota of 500 per stream (lakehouse:quotas.firehose-active-partitions)",
        ]);
        // 249 values fit exactly.
        const cfg = stack("prod");
        cfg["lakehouse:domains"][0].partitionValues = Array.from({ length: 249 }, (_, i) => `type_${i}`);
        assert.equal(parseStackConfig(cfg).sizes.firehosePartitions.clickstream.activePartitions, 500);
    });

    it("refuses a declared cardinality above what the quota allows", () => {
        const lines = errors((c) => {
            delete c["lakehouse:domains"][0].partitionValues;
            c["lakehouse:domains"][0].maxPartitionValues = 251;
        });
        assert.equal(lines.length, 1);
        assert.match(lines[0], /^lakehouse:domains\[0\]\.maxPartitionValues: got 251 for partitionKey event_type; expected at most 250: 251 values × 2 .* = 502 active partitions, above the Firehose quota of 500 per stream/);
    });
});
