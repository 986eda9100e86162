import type { PlatformConfig } from "../config/loader";
import { kinesisStreamName, namePrefix, rawDeliveryStreamName } from "../lib/naming";
import type { UsageProfile } from "./estimator";
import { DAYS_PER_MONTH } from "./prices";

/** Partitions assumed for an MSK Serverless topic the sizing did not size (it sizes every MSK domain's). */
export const DEFAULT_MSK_SERVERLESS_PARTITIONS_PER_TOPIC = 6;

/** The assumption the declared-load usage adds to every estimate that uses it. */
export const DECLARED_LOAD_ASSUMPTION =
    `Kinesis, Firehose and MSK volumes follow the declared load (dailyVolumeGb x ${DAYS_PER_MONTH.toFixed(1)} days); MSK Serverless partitions are ` +
    "those the stack creates for each domain's topic (sized from its declared peak) unless the usage profile says otherwise.";

/**
 * The usage profile of an environment: streams, deliveries and MSK Serverless follow the load
 * each domain declares; everything else comes from `lakehouse:cost.usage`. Streams are keyed by
 * the physical names the platform gives them, which is how the estimator finds them among the
 * declared resources.
 */
export function declaredLoadUsage(config: PlatformConfig): UsageProfile {
    const prefix = namePrefix(config.environment);
    const kinesisDomains = config.domains.filter((d) => d.transport === "kinesis");
    const mskDomains = config.domains.filter((d) => d.transport === "msk");
    const gbPerMonth = (dailyVolumeGb: number) => dailyVolumeGb * DAYS_PER_MONTH;
    return {
        ...config.cost.usage,
        streams: Object.fromEntries(
            kinesisDomains.map((d) => [
                kinesisStreamName(prefix, d.name),
                { gbPerMonth: gbPerMonth(d.dailyVolumeGb), recordsPerMonth: ((d.dailyVolumeGb * 1e9) / d.averageEventBytes) * DAYS_PER_MONTH, consumers: d.consumers },
            ]),
        ),
        // Every domain lands through a Firehose delivery stream, from its stream or its topic.
        firehoses: Object.fromEntries(config.domains.map((d) => [rawDeliveryStreamName(prefix, d.name), { gbPerMonth: gbPerMonth(d.dailyVolumeGb) }])),
        mskServerless: config.cost.usage.mskServerless ?? {
            // The partitions the stack creates (config/sizes.ts topics): the partition-hours AWS bills.
            partitions: Math.max(
                DEFAULT_MSK_SERVERLESS_PARTITIONS_PER_TOPIC,
                mskDomains.reduce((sum, d) => sum + (config.sizes.topics?.[d.name]?.partitions ?? DEFAULT_MSK_SERVERLESS_PARTITIONS_PER_TOPIC), 0),
            ),
            storedGb: mskDomains.reduce((sum, d) => sum + d.dailyVolumeGb * (d.retentionHours / 24), 0),
            gbInPerMonth: mskDomains.reduce((sum, d) => sum + gbPerMonth(d.dailyVolumeGb), 0),
            gbOutPerMonth: mskDomains.reduce((sum, d) => sum + gbPerMonth(d.dailyVolumeGb) * d.consumers, 0),
        },
    };
}
