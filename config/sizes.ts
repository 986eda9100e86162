import { FIREHOSE_ACTIVE_PARTITIONS_QUOTA, FIREHOSE_ACTIVE_PARTITIONS_QUOTA_ID, maxKeyValues, OVERFLOW_PARTITION, type PartitionBoundSizing, partitionBoundSizing } from "../lib/firehose-partitions";
import {
    type BrokerSizing,
    CapacityError,
    type FirehoseBuffering,
    firehoseBuffering,
    type GlueWorkerSizing,
    glueWorkers,
    kafkaTopic,
    kinesisShards,
    mskBrokers,
    type ShardSizing,
    type TopicSizing,
} from "../lib/sizing";
import { averageIntervalSeconds } from "./freshness";
import type { ParsedStackConfig } from "./schema";

/** Sizes of one Kinesis domain: computed, or as overridden in config. */
export interface StreamSizes extends ShardSizing {
    /** True when `shardCount` in config replaced the computed count. */
    overridden: boolean;
    buffering: FirehoseBuffering;
}

/** The environment's resolved sizes. */
export interface PlatformSizes {
    /** Kinesis streams by domain name. */
    streams: Record<string, StreamSizes>;
    /** The provisioned MSK cluster, when one is configured. */
    msk?: BrokerSizing & { overridden: string[] };
    /** Kafka topics by domain name: every MSK domain's, on the configured cluster. */
    topics: Record<string, TopicSizing>;
    /** Every domain's Glue job workers, from its daily volume and the run interval. */
    glueJobs: Record<string, GlueJobSizes>;
    /** Firehose active partitions of every domain with a partition key, against the stream quota. */
    firehosePartitions: Record<string, PartitionBoundSizing>;
}

/** A domain's Glue job workers and the inputs of the rule (lib/sizing.ts glueWorkers). */
export interface GlueJobSizes extends GlueWorkerSizing {
    /** dailyVolumeGb the domain declares. */
    dailyVolumeGb: number;
    /** Seconds between two runs (the load schedule's average interval; a day when it has none). */
    runIntervalSeconds: number;
    /** Config's ceiling (`lakehouse:glue.numberOfWorkers`). */
    ceiling: number;
}

/**
 * Turns the declared load into sizes, letting explicit config win. A load one stream or cluster
 * cannot take is reported as a configuration error on the key that declared it.
 */
export function resolveSizes(cfg: ParsedStackConfig): { sizes?: PlatformSizes; errors: string[] } {
    const errors: string[] = [];
    const streaming = cfg["lakehouse:streaming"];
    const azCount = cfg["lakehouse:network"].azCount;
    const streams: Record<string, StreamSizes> = {};
    cfg["lakehouse:domains"].forEach((domain, i) => {
        if (domain.transport !== "kinesis") return;
        try {
            const computed = kinesisShards(domain, streaming.enhancedFanOutAboveConsumers);
            streams[domain.name] = {
                ...computed,
                shards: domain.shardCount ?? computed.shards,
                overridden: domain.shardCount !== undefined,
                buffering: firehoseBuffering(domain),
            };
        } catch (err) {
            if (!(err instanceof CapacityError) || domain.shardCount !== undefined) throw err;
            errors.push(`lakehouse:domains[${i}].peakEventsPerSecond: got ${domain.peakEventsPerSecond}; ${err.message}`);
        }
    });

    let msk: PlatformSizes["msk"];
    const mskDomains = cfg["lakehouse:domains"].filter((d) => d.transport === "msk");
    if (streaming.msk.mode === "provisioned") {
        try {
            const computed = mskBrokers(mskDomains, azCount);
            const overridden: string[] = [];
            const pick = <T>(key: string, value: T | undefined, fallback: T): T => {
                if (value === undefined) return fallback;
                overridden.push(key);
                return value;
            };
            msk = {
                instanceType: pick("brokerInstanceType", streaming.msk.brokerInstanceType, computed.instanceType),
                brokerCount: pick("brokerCount", streaming.msk.brokerCount, computed.brokerCount),
                storageGibPerBroker: Math.min(
                    pick("storageGibPerBroker", streaming.msk.storageGibPerBroker, computed.storageGibPerBroker),
                    streaming.msk.maxStorageGibPerBroker,
                ),
                limitedBy: computed.limitedBy,
                overridden,
            };
        } catch (err) {
            if (!(err instanceof CapacityError)) throw err;
            errors.push(`lakehouse:streaming.msk: ${err.message}`);
        }
        // Firehose reads an MSK domain's topic over multi-VPC private connectivity, which t3.small
        // brokers do not offer (https://docs.aws.amazon.com/msk/latest/developerguide/aws-access-mult-vpc.html).
        if (msk && mskDomains.length > 0 && msk.instanceType === "kafka.t3.small") {
            errors.push(
                `lakehouse:streaming.msk.brokerInstanceType: got "kafka.t3.small"; expected kafka.m7g.large or larger: Firehose reads ${mskDomains.map((d) => d.name).join(", ")} through multi-VPC private connectivity, which t3.small brokers do not support`,
            );
        }
    }
    // A run transforms what arrived since the previous one. A schedule without a steady interval is
    // sized for a day's data per run, the most any schedule that runs daily can leave to one run.
    const runIntervalSeconds = Math.round(averageIntervalSeconds(cfg["lakehouse:orchestration"].schedule) ?? 86_400);
    const glue = cfg["lakehouse:glue"];
    const glueJobs: Record<string, GlueJobSizes> = {};
    for (const domain of cfg["lakehouse:domains"]) {
        const sizing = glueWorkers(domain, glue.workerType, { maxWorkers: glue.numberOfWorkers, runIntervalSeconds });
        glueJobs[domain.name] = { ...sizing, dailyVolumeGb: domain.dailyVolumeGb, runIntervalSeconds, ceiling: glue.numberOfWorkers };
    }

    // The stream quota as the account has it: lakehouse:quotas (the plan's quota table) when it declares
    // a raised one, else Firehose's default.
    const declaredQuotas = (cfg as { "lakehouse:quotas"?: Record<string, number> })["lakehouse:quotas"];
    const quota = declaredQuotas?.[FIREHOSE_ACTIVE_PARTITIONS_QUOTA_ID] ?? FIREHOSE_ACTIVE_PARTITIONS_QUOTA;
    const firehosePartitions: Record<string, PartitionBoundSizing> = {};
    cfg["lakehouse:domains"].forEach((domain, i) => {
        if (domain.partitionKey === undefined) return;
        const bound: { values?: string[]; maxValues?: number } = { values: domain.partitionValues, maxValues: domain.maxPartitionValues };
        if (bound.values === undefined && bound.maxValues === undefined) return;
        const interval = (streams[domain.name]?.buffering ?? firehoseBuffering(domain)).intervalSeconds;
        const sizing = partitionBoundSizing(domain.partitionKey, bound.values !== undefined ? { values: bound.values } : { maxValues: bound.maxValues ?? 0 }, interval, quota);
        firehosePartitions[domain.name] = sizing;
        if (sizing.activePartitions <= quota) return;
        const most = maxKeyValues(interval, quota);
        const [key, got, allowed] =
            bound.values !== undefined
                ? ["partitionValues", `${bound.values.length} values`, `at most ${most - 1} values (with the overflow partition ${OVERFLOW_PARTITION}, ${most})`]
                : ["maxPartitionValues", String(bound.maxValues), `at most ${most}`];
        errors.push(
            `lakehouse:domains[${i}].${key}: got ${got} for partitionKey ${domain.partitionKey}; expected ${allowed}: ${sizing.keyValues} values × ${sizing.openTimePartitions} arrival-hour prefixes open at once (buffer ${interval} s) = ${sizing.activePartitions} active partitions, above the Firehose quota of ${quota} per stream (lakehouse:quotas.${FIREHOSE_ACTIVE_PARTITIONS_QUOTA_ID})`,
        );
    });

    const topics: Record<string, TopicSizing> = {};
    const cluster = streaming.msk.mode === "serverless" ? { mode: "serverless" as const } : msk ? { mode: "provisioned" as const, brokerCount: msk.brokerCount } : undefined;
    if (cluster) for (const domain of mskDomains) topics[domain.name] = kafkaTopic(domain, cluster);
    return errors.length > 0 ? { errors } : { sizes: { streams, msk, topics, glueJobs, firehosePartitions }, errors };
}
