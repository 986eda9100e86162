import * as assert from "node:assert/strict";
import fc from "fast-check";
import {
    CapacityError,
    type DeclaredLoad,
    firehoseBuffering,
    GLUE_INPUT_GB_PER_DPU_PER_RUN,
    GLUE_MIN_WORKERS,
    glueWorkers,
    kafkaTopic,
    kinesisShards,
    MAX_BROKERS_PER_CLUSTER,
    MIN_TOPIC_PARTITIONS,
    mskBrokers,
    parseSparkConfArgument,
    REFERENCE_LOADS,
    SKEW_SAFE_SPARK_CONF,
    sparkConfArgument,
} from "../../lib/sizing";

const load = (overrides: Partial<DeclaredLoad>): DeclaredLoad => ({
    name: "test",
    peakEventsPerSecond: 1000,
    averageEventBytes: 1000,
    dailyVolumeGb: 10,
    retentionHours: 24,
    consumers: 1,
    ...overrides,
});

describe("sizing", () => {
    describe("Kinesis shards", () => {
        it("sizes for write bytes at 1 MB/s per shard", () => {
            assert.deepEqual(kinesisShards(load({ peakEventsPerSecond: 2500, averageEventBytes: 2000 }), 2), { shards: 5, enhancedFanOut: false, limitedBy: "write-bytes" });
        });

        it("sizes for write records at 1,000 records/s per shard", () => {
            assert.deepEqual(kinesisShards(load({ peakEventsPerSecond: 7500, averageEventBytes: 100 }), 2), { shards: 8, enhancedFanOut: false, limitedBy: "write-records" });
        });

        it("sizes for shared reads at 2 MB/s per shard up to the fan-out threshold", () => {
            // 1.5 MB/s written, read by 2 consumers = 3 MB/s of reads -> 2 shards.
            assert.deepEqual(kinesisShards(load({ peakEventsPerSecond: 1000, averageEventBytes: 1500, consumers: 2 }), 2), { shards: 2, enhancedFanOut: false, limitedBy: "write-bytes" });
            // 0.9 MB/s read by 2 consumers = 1.8 MB/s: still one shard; with 5 shared readers 4.5 MB/s -> 3.
            assert.equal(kinesisShards(load({ peakEventsPerSecond: 900, averageEventBytes: 1000, consumers: 5 }), 10).shards, 3);
        });

        it("switches to enhanced fan-out above the threshold, so reads stop driving the count", () => {
            const sized = kinesisShards(load({ peakEventsPerSecond: 900, averageEventBytes: 1000, consumers: 5 }), 2);
            assert.deepEqual(sized, { shards: 1, enhancedFanOut: true, limitedBy: "write-bytes" });
        });

        it("never returns fewer than one shard", () => {
            assert.equal(kinesisShards(load({ peakEventsPerSecond: 1, averageEventBytes: 10 }), 2).shards, 1);
        });

        it("always covers the write rate (property)", () => {
            fc.assert(
                fc.property(fc.integer({ min: 1, max: 5_000_000 }), fc.integer({ min: 1, max: 1_048_576 }), fc.integer({ min: 1, max: 20 }), (eps, bytes, consumers) => {
                    try {
                        const { shards } = kinesisShards(load({ peakEventsPerSecond: eps, averageEventBytes: bytes, consumers }), 2);
                        assert.ok(shards * 1_000_000 >= eps * bytes && shards * 1000 >= eps);
                    } catch (err) {
                        assert.ok(err instanceof CapacityError);
                    }
                }),
            );
        });
    });

    describe("MSK brokers", () => {
        it("keeps a small load at one broker per AZ on the smallest type, with 100 GiB minimum storage", () => {
            assert.deepEqual(mskBrokers([load({ peakEventsPerSecond: 300, averageEventBytes: 1500, dailyVolumeGb: 10, retentionHours: 72 })], 3), {
                instanceType: "kafka.m7g.large",
                brokerCount: 3,
                storageGibPerBroker: 100,
                limitedBy: "az-spread",
            });
        });

        it("sizes storage from volume x retention x replication at 70 % disk use", () => {
            // 150 GB/day x 7 days x 3 replicas / 3 brokers / 0.7 = 1,397 GiB.
            const sized = mskBrokers([load({ peakEventsPerSecond: 3000, averageEventBytes: 1500, dailyVolumeGb: 150, retentionHours: 168 })], 3);
            assert.equal(sized.storageGibPerBroker, Math.ceil((150e9 * 7 * 3) / 3 / 2 ** 30 / 0.7));
            assert.equal(sized.storageGibPerBroker, 1397);
        });

        it("rounds the broker count up to a multiple of the AZ count", () => {
            // 60 MB/s needs 3 m7g.large brokers (25 MB/s each) -> 3 in 3 AZs, 4 in 2 AZs.
            const l = load({ peakEventsPerSecond: 60_000, averageEventBytes: 1000, dailyVolumeGb: 10 });
            assert.equal(mskBrokers([l], 3).brokerCount, 3);
            assert.equal(mskBrokers([l], 2).brokerCount, 4);
        });

        it("sums the domains routed to the cluster", () => {
            const one = load({ peakEventsPerSecond: 20_000, averageEventBytes: 1000 });
            assert.equal(mskBrokers([one, one, one, one], 3).brokerCount, 6);
        });

        it("states the result for the 50 TB/day reference load", () => {
            const { batch50TbPerDay } = REFERENCE_LOADS;
            assert.deepEqual(kinesisShards(batch50TbPerDay, 2), { shards: 1160, enhancedFanOut: false, limitedBy: "write-bytes" });
            assert.deepEqual(mskBrokers([batch50TbPerDay], 3), { instanceType: "kafka.m7g.xlarge", brokerCount: 24, storageGibPerBroker: 8316, limitedBy: "throughput" });
            assert.deepEqual(firehoseBuffering(batch50TbPerDay), { sizeMib: 128, intervalSeconds: 60 });
        });

        it("states the result for 2 million events per second, and refuses a single cluster at 24 h retention", () => {
            const { twoMillionEventsPerSecond } = REFERENCE_LOADS;
            assert.deepEqual(kinesisShards(twoMillionEventsPerSecond, 2), { shards: 2000, enhancedFanOut: true, limitedBy: "write-bytes" });
            assert.throws(
                () => mskBrokers([twoMillionEventsPerSecond], 3),
                (err: Error) =>
                    err instanceof CapacityError &&
                    err.message ===
                        "MSK: 2.00 GB/s at peak with 518.4 TB retained (replicas included) needs 45 × kafka.m7g.16xlarge brokers, above the 30-broker quota of one cluster; shorten retention, enable tiered storage or split the domains across clusters",
            );
            assert.deepEqual(mskBrokers([{ ...twoMillionEventsPerSecond, retentionHours: 6 }], 3), {
                instanceType: "kafka.m7g.2xlarge",
                brokerCount: 21,
                storageGibPerBroker: 8211,
                limitedBy: "throughput",
            });
        });

        it("never exceeds the broker quota and always spreads evenly (property)", () => {
            fc.assert(
                fc.property(fc.integer({ min: 1, max: 3_000_000 }), fc.integer({ min: 100, max: 4000 }), fc.integer({ min: 2, max: 4 }), (eps, bytes, az) => {
                    try {
                        const sized = mskBrokers([load({ peakEventsPerSecond: eps, averageEventBytes: bytes, dailyVolumeGb: (eps * bytes * 86400) / 1e9 / 4 })], az);
                        assert.ok(sized.brokerCount <= MAX_BROKERS_PER_CLUSTER);
                        assert.equal(sized.brokerCount % az, 0);
                    } catch (err) {
                        assert.ok(err instanceof CapacityError);
                    }
                }),
            );
        });
    });

    describe("Kinesis limits", () => {
        it("refuses a load beyond one stream's 10,000 shards with a clear message", () => {
            assert.throws(
                () => kinesisShards(load({ name: "firehose-of-data", peakEventsPerSecond: 12_000_000, averageEventBytes: 1000 }), 2),
                /firehose-of-data: 12000 shards needed for 12.00 GB\/s at peak, above the 10000-shard limit of one Kinesis stream; split the domain across streams or route it to MSK/,
            );
        });
    });

    describe("Firehose buffering", () => {
        it("waits as long as the average rate needs to fill 128 MiB, within 60-900 s", () => {
            // 40 GB/day = 463 KB/s -> 290 s for 128 MiB.
            assert.deepEqual(firehoseBuffering(load({ dailyVolumeGb: 40 })), { sizeMib: 128, intervalSeconds: 290 });
            assert.equal(firehoseBuffering(load({ dailyVolumeGb: 1 })).intervalSeconds, 900);
            assert.equal(firehoseBuffering(load({ dailyVolumeGb: 50_000 })).intervalSeconds, 60);
        });
    });
    describe("Kafka topics", () => {
        it("gives a small load the minimum partitions, three replicas and two in sync, and the domain's retention", () => {
            const topic = kafkaTopic(load({ peakEventsPerSecond: 50, averageEventBytes: 1500, retentionHours: 168 }), { mode: "provisioned", brokerCount: 3 });
            assert.deepEqual(topic, { partitions: MIN_TOPIC_PARTITIONS, replicationFactor: 3, minInSyncReplicas: 2, retentionMs: 168 * 3_600_000, limitedBy: "minimum" });
        });

        it("sizes for the peak write rate at 5 MB/s per partition", () => {
            // 40,000 events/s of 1,000 bytes = 40 MB/s: 8 partitions for writes, 4 for one reader.
            const topic = kafkaTopic(load({ peakEventsPerSecond: 40_000, consumers: 1 }), { mode: "serverless" });
            assert.deepEqual([topic.partitions, topic.limitedBy], [8, "write-bytes"]);
        });

        it("sizes for every consumer's reads at 10 MB/s per partition", () => {
            // 40 MB/s read by 3 consumers = 120 MB/s: 12 partitions.
            const topic = kafkaTopic(load({ peakEventsPerSecond: 40_000, consumers: 3 }), { mode: "serverless" });
            assert.deepEqual([topic.partitions, topic.limitedBy], [12, "read-bytes"]);
        });

        it("spreads leaders evenly: a multiple of the broker count on a provisioned cluster", () => {
            assert.equal(kafkaTopic(load({ peakEventsPerSecond: 40_000, consumers: 3 }), { mode: "provisioned", brokerCount: 9 }).partitions, 18);
            assert.equal(kafkaTopic(load({ peakEventsPerSecond: 10 }), { mode: "provisioned", brokerCount: 4 }).partitions, 8);
        });

        it("replicates to min(3, brokers) with one replica fewer in sync, never below one", () => {
            const two = kafkaTopic(load({}), { mode: "provisioned", brokerCount: 2 });
            assert.deepEqual([two.replicationFactor, two.minInSyncReplicas], [2, 1]);
            const six = kafkaTopic(load({}), { mode: "provisioned", brokerCount: 6 });
            assert.deepEqual([six.replicationFactor, six.minInSyncReplicas], [3, 2]);
        });

        it("states Serverless's fixed replication (3, two in sync) and does not round to brokers", () => {
            const topic = kafkaTopic(load({ peakEventsPerSecond: 35_000 }), { mode: "serverless" });
            assert.deepEqual([topic.partitions, topic.replicationFactor, topic.minInSyncReplicas], [7, 3, 2]);
        });

        it("always covers writes and reads within the per-partition limits (property)", () => {
            fc.assert(
                fc.property(fc.integer({ min: 1, max: 200_000 }), fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 30 }), (eps, bytes, consumers, brokers) => {
                    const l = load({ peakEventsPerSecond: eps, averageEventBytes: bytes, consumers });
                    const topic = kafkaTopic(l, { mode: "provisioned", brokerCount: brokers });
                    const write = eps * bytes;
                    return (
                        topic.partitions * 5_000_000 >= write &&
                        topic.partitions * 10_000_000 >= write * consumers &&
                        topic.partitions >= MIN_TOPIC_PARTITIONS &&
                        topic.partitions % brokers === 0 &&
                        topic.minInSyncReplicas < topic.replicationFactor + (topic.replicationFactor === 1 ? 1 : 0)
                    );
                }),
            );
        });
    });
});

describe("sizing: Glue workers per domain", () => {
    const hourly = { maxWorkers: 50, runIntervalSeconds: 3600 };

    it("gives one driver plus an executor worker per 2 GB × DPU of a run's input", () => {
        // 800 GB a day, hourly: 33.3 GB a run; G.2X executors take 4 GB each -> 9, plus the driver.
        assert.deepEqual(glueWorkers({ name: "clicks", dailyVolumeGb: 800 }, "G.2X", hourly), {
            workerType: "G.2X",
            maxWorkers: 10,
            autoScaling: true,
            inputGbPerRun: 33.333,
            requiredWorkers: 10,
            limitedBy: "volume",
        });
        // 150 GB a day on G.1X: 6.25 GB a run -> 4 executors (2 GB each) + the driver.
        assert.equal(glueWorkers({ name: "orders", dailyVolumeGb: 150 }, "G.1X", hourly).maxWorkers, 5);
        assert.equal(GLUE_INPUT_GB_PER_DPU_PER_RUN, 2);
    });

    it("counts the run interval: the same daily volume every 6 hours needs six times the input per run", () => {
        const every6h = glueWorkers({ name: "d", dailyVolumeGb: 96 }, "G.1X", { maxWorkers: 50, runIntervalSeconds: 6 * 3600 });
        const hourlyRun = glueWorkers({ name: "d", dailyVolumeGb: 96 }, "G.1X", hourly);
        assert.deepEqual([hourlyRun.inputGbPerRun, hourlyRun.maxWorkers], [4, 3]);
        assert.deepEqual([every6h.inputGbPerRun, every6h.maxWorkers], [24, 13]);
    });

    it("never goes below the floor of 2 or above config's ceiling, and says which bound decided", () => {
        const tiny = glueWorkers({ name: "tiny", dailyVolumeGb: 0.001 }, "G.8X", hourly);
        assert.deepEqual([tiny.maxWorkers, tiny.limitedBy], [GLUE_MIN_WORKERS, "minimum"]);
        const huge = glueWorkers({ name: "huge", dailyVolumeGb: 50_000 }, "G.1X", { maxWorkers: 10, runIntervalSeconds: 3600 });
        assert.deepEqual([huge.maxWorkers, huge.requiredWorkers, huge.limitedBy], [10, 1043, "ceiling"]);
    });

    it("grows with volume and stays within the floor and the ceiling (any volume, type and interval)", () => {
        fc.assert(
            fc.property(
                fc.double({ min: 0.001, max: 200_000, noNaN: true }),
                fc.double({ min: 0.001, max: 200_000, noNaN: true }),
                fc.constantFrom("G.1X", "G.2X", "G.4X", "G.8X"),
                fc.integer({ min: 2, max: 299 }),
                fc.integer({ min: 60, max: 86_400 }),
                (a, b, type, ceiling, interval) => {
                    const limits = { maxWorkers: ceiling, runIntervalSeconds: interval };
                    const [small, large] = [Math.min(a, b), Math.max(a, b)].map((gb) => glueWorkers({ name: "d", dailyVolumeGb: gb }, type, limits));
                    assert.ok(small.maxWorkers <= large.maxWorkers);
                    for (const s of [small, large]) assert.ok(s.maxWorkers >= GLUE_MIN_WORKERS && s.maxWorkers <= ceiling);
                },
            ),
        );
    });

    it("refuses a worker type it has no DPU figure for", () => {
        assert.throws(() => glueWorkers({ name: "d", dailyVolumeGb: 1 }, "Standard", hourly), /unknown Glue worker type Standard/);
    });
});

describe("sizing: skew-safe Spark settings", () => {
    it("turns on adaptive execution, skew-join splitting and partition coalescing", () => {
        assert.deepEqual(SKEW_SAFE_SPARK_CONF, {
            "spark.sql.adaptive.enabled": "true",
            "spark.sql.adaptive.skewJoin.enabled": "true",
            "spark.sql.adaptive.coalescePartitions.enabled": "true",
        });
    });

    it("writes several settings in one --conf value, each after --conf, as Glue takes them", () => {
        const value = sparkConfArgument({ "spark.a": "1", "spark.b": "x=y" });
        assert.equal(value, "spark.a=1 --conf spark.b=x=y");
        assert.deepEqual(parseSparkConfArgument(value), { "spark.a": "1", "spark.b": "x=y" });
        assert.deepEqual(parseSparkConfArgument(sparkConfArgument(SKEW_SAFE_SPARK_CONF)), SKEW_SAFE_SPARK_CONF);
    });
});
