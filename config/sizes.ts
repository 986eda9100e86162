import { type BrokerSizing, CapacityError, type FirehoseBuffering, firehoseBuffering, kafkaTopic, kinesisShards, mskBrokers, type ShardSizing, type TopicSizing } from "../lib/sizing";
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
    const topics: Record<string, TopicSizing> = {};
    const cluster = streaming.msk.mode === "serverless" ? { mode: "serverless" as const } : msk ? { mode: "provisioned" as const, brokerCount: msk.brokerCount } : undefined;
    if (cluster) for (const domain of mskDomains) topics[domain.name] = kafkaTopic(domain, cluster);
    return errors.length > 0 ? { errors } : { sizes: { streams, msk, topics }, errors };
}
