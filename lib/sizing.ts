/**
 * Sizing from declared load: Kinesis shards, MSK brokers and storage, Kafka topics, Firehose buffering.
 * Pure arithmetic on the load an environment declares; explicit sizes in config override it.
 *
 * Units: 1 MB = 1,000,000 bytes (the conservative reading of AWS's "1 MB/s per shard"),
 * 1 GiB = 2^30 bytes for EBS volumes, 1 GB = 10^9 bytes for declared daily volumes.
 */

/** The load one data domain (one stream or topic) declares. */
export interface DeclaredLoad {
    /** Domain name, for messages. */
    name: string;
    /** Peak events per second written. */
    peakEventsPerSecond: number;
    /** Average event size in bytes. */
    averageEventBytes: number;
    /** Data written per day, in GB (10^9 bytes). */
    dailyVolumeGb: number;
    /** How long the stream or topic keeps data, in hours. */
    retentionHours: number;
    /** Number of independent consumers (applications) reading every record. */
    consumers: number;
}

/** Raised when one stream or cluster cannot take the declared load. */
export class CapacityError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "CapacityError";
    }
}

// ---------------------------------------------------------------------------------------------
// Kinesis Data Streams

/** Per-shard write limits. */
export const SHARD_WRITE_BYTES_PER_SECOND = 1_000_000;
export const SHARD_WRITE_RECORDS_PER_SECOND = 1_000;
/** Per-shard read limit, shared by all standard consumers (per consumer with enhanced fan-out). */
export const SHARD_READ_BYTES_PER_SECOND = 2_000_000;
/** UpdateShardCount cannot scale a stream beyond this many shards. */
export const MAX_SHARDS_PER_STREAM = 10_000;

/** Shard count and why. */
export interface ShardSizing {
    shards: number;
    /** Consumers get enhanced fan-out (2 MB/s each per shard) rather than sharing 2 MB/s. */
    enhancedFanOut: boolean;
    /** Which limit decided the count. */
    limitedBy: "write-bytes" | "write-records" | "read-bytes" | "minimum";
}

/**
 * Shards for a stream: enough for the peak write rate in bytes and in records, and for the reads of
 * its consumers. Up to `enhancedFanOutAbove` consumers share each shard's 2 MB/s; above that each
 * consumer gets enhanced fan-out and reads no longer limit the count.
 */
export function kinesisShards(load: DeclaredLoad, enhancedFanOutAbove: number): ShardSizing {
    const writeBytes = load.peakEventsPerSecond * load.averageEventBytes;
    const enhancedFanOut = load.consumers > enhancedFanOutAbove;
    const readBytes = enhancedFanOut ? writeBytes : writeBytes * load.consumers;
    const candidates: [ShardSizing["limitedBy"], number][] = [
        ["write-bytes", Math.ceil(writeBytes / SHARD_WRITE_BYTES_PER_SECOND)],
        ["write-records", Math.ceil(load.peakEventsPerSecond / SHARD_WRITE_RECORDS_PER_SECOND)],
        ["read-bytes", Math.ceil(readBytes / SHARD_READ_BYTES_PER_SECOND)],
        ["minimum", 1],
    ];
    const [limitedBy, shards] = candidates.reduce((best, c) => (c[1] > best[1] ? c : best));
    if (shards > MAX_SHARDS_PER_STREAM) {
        throw new CapacityError(
            `${load.name}: ${shards} shards needed for ${formatRate(writeBytes)} at peak, above the ${MAX_SHARDS_PER_STREAM}-shard limit of one Kinesis stream; split the domain across streams or route it to MSK`,
        );
    }
    return { shards, enhancedFanOut, limitedBy };
}

// ---------------------------------------------------------------------------------------------
// MSK provisioned

/**
 * Planning figures per broker type: sustained ingress per broker with replication factor 3 (MB/s),
 * and the partition replicas AWS recommends per broker. Throughput figures are conservative
 * planning assumptions to be confirmed by a load test; partition counts are AWS's published table.
 */
export const BROKER_TYPES = [
    { type: "kafka.m7g.large", ingressMBps: 25, partitions: 1000 },
    { type: "kafka.m7g.xlarge", ingressMBps: 50, partitions: 1000 },
    { type: "kafka.m7g.2xlarge", ingressMBps: 100, partitions: 2000 },
    { type: "kafka.m7g.4xlarge", ingressMBps: 200, partitions: 4000 },
    { type: "kafka.m7g.8xlarge", ingressMBps: 400, partitions: 4000 },
    { type: "kafka.m7g.12xlarge", ingressMBps: 600, partitions: 4000 },
    { type: "kafka.m7g.16xlarge", ingressMBps: 800, partitions: 4000 },
] as const;

/** MSK's default quota of brokers per cluster. */
export const MAX_BROKERS_PER_CLUSTER = 30;
/** Largest EBS volume per broker, GiB. */
export const MAX_STORAGE_GIB_PER_BROKER = 16_384;
/** Steady-state disk use the storage is sized for: the disk alarm fires above it. */
export const TARGET_DISK_UTILISATION = 0.7;
/** Replication factor the cluster configuration enforces. */
export const REPLICATION_FACTOR = 3;
const GIB = 2 ** 30;

/** Broker type, count and per-broker storage. */
export interface BrokerSizing {
    instanceType: string;
    brokerCount: number;
    storageGibPerBroker: number;
    /** Which limit decided the count. */
    limitedBy: "throughput" | "storage" | "az-spread";
}

/**
 * Brokers for the combined load of every domain routed to MSK: the smallest broker type for which
 * throughput and storage (volume × retention × replication, at 70 % disk use) fit in at most
 * {@link MAX_BROKERS_PER_CLUSTER} brokers, the count rounded up to a multiple of the AZ count.
 */
export function mskBrokers(loads: DeclaredLoad[], azCount: number): BrokerSizing {
    const ingressMBps = loads.reduce((sum, l) => sum + (l.peakEventsPerSecond * l.averageEventBytes) / 1e6, 0);
    const storedBytes = loads.reduce((sum, l) => sum + l.dailyVolumeGb * 1e9 * (l.retentionHours / 24) * REPLICATION_FACTOR, 0);
    const byStorage = Math.ceil(storedBytes / (MAX_STORAGE_GIB_PER_BROKER * GIB * TARGET_DISK_UTILISATION));
    const countFor = (ingressPerBroker: number) => {
        const byThroughput = Math.ceil(ingressMBps / ingressPerBroker);
        const need = Math.max(byThroughput, byStorage);
        const limitedBy: BrokerSizing["limitedBy"] = need <= azCount ? "az-spread" : byStorage > byThroughput ? "storage" : "throughput";
        return { count: roundUpToMultiple(Math.max(need, azCount), azCount), limitedBy };
    };
    for (const broker of BROKER_TYPES) {
        const { count, limitedBy } = countFor(broker.ingressMBps);
        if (count <= MAX_BROKERS_PER_CLUSTER) {
            return { instanceType: broker.type, brokerCount: count, storageGibPerBroker: storageGib(storedBytes, count), limitedBy };
        }
    }
    const largest = BROKER_TYPES[BROKER_TYPES.length - 1];
    throw new CapacityError(
        `MSK: ${formatRate(ingressMBps * 1e6)} at peak with ${(storedBytes / 1e12).toFixed(1)} TB retained (replicas included) needs ${countFor(largest.ingressMBps).count} × ${largest.type} brokers, above the ${MAX_BROKERS_PER_CLUSTER}-broker quota of one cluster; shorten retention, enable tiered storage or split the domains across clusters`,
    );
}

function storageGib(storedBytes: number, brokers: number): number {
    const gib = Math.ceil(storedBytes / brokers / GIB / TARGET_DISK_UTILISATION);
    // Small loads still get room for the operating margin and log segments.
    return Math.min(MAX_STORAGE_GIB_PER_BROKER, Math.max(100, gib));
}

function roundUpToMultiple(value: number, multiple: number): number {
    return Math.ceil(value / multiple) * multiple;
}

// ---------------------------------------------------------------------------------------------
// Kafka topics

/**
 * MSK Serverless's per-partition quotas: 5 MBps written and 10 MBps read, whatever the cluster
 * (https://docs.aws.amazon.com/msk/latest/developerguide/limits.html#serverless-quota). Provisioned
 * brokers enforce no such limit; their topics are planned at the same figures, so a domain keeps
 * its partition count when it moves between cluster kinds.
 */
export const PARTITION_WRITE_BYTES_PER_SECOND = 5_000_000;
export const PARTITION_READ_BYTES_PER_SECOND = 10_000_000;
/**
 * Fewest partitions a topic gets: room for six readers per consumer group before a partition
 * increase (which remaps keys to partitions) is needed; the cluster's `num.partitions` default.
 */
export const MIN_TOPIC_PARTITIONS = 6;
/**
 * MSK Serverless replicates every partition three times and requires two in-sync replicas; neither
 * is a topic setting there (https://docs.aws.amazon.com/msk/latest/developerguide/serverless-config.html
 * lists the only topic settings it accepts).
 */
export const SERVERLESS_REPLICATION_FACTOR = 3;
export const SERVERLESS_MIN_INSYNC_REPLICAS = 2;

/** The cluster a topic lives on. */
export type TopicCluster = { mode: "provisioned"; brokerCount: number } | { mode: "serverless" };

/** Partitions, replication and retention of one domain's topic, and why. */
export interface TopicSizing {
    partitions: number;
    replicationFactor: number;
    /**
     * Replicas that must acknowledge a write: one fewer than the replicas, so a broker being patched
     * never stops producers (https://docs.aws.amazon.com/msk/latest/developerguide/version-upgrades-best-practices.html).
     */
    minInSyncReplicas: number;
    /** `retention.ms`: the domain's retentionHours. */
    retentionMs: number;
    /** Which need decided the partition count. */
    limitedBy: "write-bytes" | "read-bytes" | "minimum";
}

/**
 * A domain's topic: enough partitions for its peak write rate at 5 MBps and for its consumers'
 * reads at 10 MBps per partition, at least {@link MIN_TOPIC_PARTITIONS}; on a provisioned cluster
 * rounded up to a multiple of the broker count (leaders spread evenly) and replicated to min(3,
 * brokers); on Serverless replicated as Serverless does. Retention is the domain's.
 */
export function kafkaTopic(load: DeclaredLoad, cluster: TopicCluster): TopicSizing {
    const writeBytes = load.peakEventsPerSecond * load.averageEventBytes;
    const candidates: [TopicSizing["limitedBy"], number][] = [
        ["write-bytes", Math.ceil(writeBytes / PARTITION_WRITE_BYTES_PER_SECOND)],
        ["read-bytes", Math.ceil((writeBytes * load.consumers) / PARTITION_READ_BYTES_PER_SECOND)],
        ["minimum", MIN_TOPIC_PARTITIONS],
    ];
    const [limitedBy, needed] = candidates.reduce((best, c) => (c[1] > best[1] ? c : best));
    const retentionMs = load.retentionHours * 3_600_000;
    if (cluster.mode === "serverless") {
        return { partitions: needed, replicationFactor: SERVERLESS_REPLICATION_FACTOR, minInSyncReplicas: SERVERLESS_MIN_INSYNC_REPLICAS, retentionMs, limitedBy };
    }
    const replicationFactor = Math.min(REPLICATION_FACTOR, cluster.brokerCount);
    return {
        partitions: roundUpToMultiple(needed, cluster.brokerCount),
        replicationFactor,
        minInSyncReplicas: Math.max(1, replicationFactor - 1),
        retentionMs,
        limitedBy,
    };
}

// ---------------------------------------------------------------------------------------------
// Firehose

/** Target object size in the raw zone: large enough for efficient Spark and Athena scans. */
export const TARGET_FILE_BYTES = 128 * 1_048_576;

/** Firehose buffering hints. */
export interface FirehoseBuffering {
    /** Buffer size in MiB (64-128 with format conversion). */
    sizeMib: number;
    /** Buffer interval in seconds (60-900). */
    intervalSeconds: number;
}

/**
 * Buffering that writes files of about 128 MB: the size hint at 128 MiB, and the interval as long as
 * the average rate needs to fill it, within Firehose's 60-900 s. Low-volume streams hit 900 s and
 * write smaller files; compaction in the curated zone takes care of those.
 */
export function firehoseBuffering(load: DeclaredLoad): FirehoseBuffering {
    const averageBytesPerSecond = (load.dailyVolumeGb * 1e9) / 86_400;
    const fillSeconds = averageBytesPerSecond > 0 ? Math.ceil(TARGET_FILE_BYTES / averageBytesPerSecond) : 900;
    return { sizeMib: 128, intervalSeconds: Math.min(900, Math.max(60, fillSeconds)) };
}

function formatRate(bytesPerSecond: number): string {
    return bytesPerSecond >= 1e9 ? `${(bytesPerSecond / 1e9).toFixed(2)} GB/s` : `${(bytesPerSecond / 1e6).toFixed(1)} MB/s`;
}

/**
 * The seed architectures' reference loads, sized in the README and the tests:
 * 50 TB/day batch (579 MB/s on average, 2x at peak, 1 KB events) and "millions of events per
 * second" streaming (2 M events/s of 1 KB, three consumers).
 */
export const REFERENCE_LOADS: Record<"batch50TbPerDay" | "twoMillionEventsPerSecond", DeclaredLoad> = {
    batch50TbPerDay: { name: "batch-50tb", peakEventsPerSecond: 1_160_000, averageEventBytes: 1000, dailyVolumeGb: 50_000, retentionHours: 24, consumers: 2 },
    twoMillionEventsPerSecond: { name: "events-2m", peakEventsPerSecond: 2_000_000, averageEventBytes: 1000, dailyVolumeGb: 172_800, retentionHours: 24, consumers: 3 },
};

// ---------------------------------------------------------------------------------------------
// Glue jobs

/**
 * DPUs per worker: a DPU is 4 vCPUs and 16 GB of memory, G.1X one DPU, G.2X two, G.4X four, G.8X
 * eight (https://docs.aws.amazon.com/glue/latest/dg/worker-types.html); G.025X (streaming only) a quarter.
 */
export const GLUE_DPU_PER_WORKER: Record<string, number> = { "G.025X": 0.25, "G.1X": 1, "G.2X": 2, "G.4X": 4, "G.8X": 8 };

/**
 * Raw input one DPU is planned to transform in one run, in GB (10^9 bytes): our planning assumption,
 * not an AWS figure (AWS publishes no throughput per DPU; it points to the job's observability metrics
 * for utilisation, https://docs.aws.amazon.com/glue/latest/dg/monitor-observability.html). Conservative by memory: a
 * run reads Parquet (compressed, several times larger once decoded) and shuffles it once to drop
 * duplicates, so 2 GB of input per 16 GB DPU leaves room for a 5-8x expansion on a skewed stage
 * without spilling. Confirm with a load test (the job's DPU-seconds and executor metrics) and adjust.
 */
export const GLUE_INPUT_GB_PER_DPU_PER_RUN = 2;

/** Fewest workers a Spark job can have: Glue's minimum, one driver and one executor. */
export const GLUE_MIN_WORKERS = 2;

/** What bounds a domain's workers: the most one job may have, and how often a run comes. */
export interface GlueWorkerLimits {
    /** Most workers one job may have (config's ceiling, `lakehouse:glue.numberOfWorkers`). */
    maxWorkers: number;
    /** Seconds between two runs: a run transforms what arrived in that time. */
    runIntervalSeconds: number;
}

/** A domain's Glue job workers and the inputs of the rule that chose them. */
export interface GlueWorkerSizing {
    workerType: string;
    /** NumberOfWorkers of the job: with auto scaling, the most a run may scale out to. */
    maxWorkers: number;
    /** `--enable-auto-scaling`: Glue adds and removes workers within `maxWorkers` as stages need. */
    autoScaling: true;
    /** Raw input of one run, GB: dailyVolumeGb × runIntervalSeconds / 86,400. */
    inputGbPerRun: number;
    /** Workers the rule asks for before the floor and the ceiling: one driver + executors for the input. */
    requiredWorkers: number;
    /** Which bound decided the count: the volume, the floor of 2, or config's ceiling. */
    limitedBy: "volume" | "minimum" | "ceiling";
}

/**
 * Workers for one domain's job: one driver plus an executor worker for every
 * {@link GLUE_INPUT_GB_PER_DPU_PER_RUN} GB × the worker type's DPUs of a run's input, at least
 * {@link GLUE_MIN_WORKERS} and at most `limits.maxWorkers`. With auto scaling the count is the
 * job's maximum: a quiet run uses (and is billed for) fewer.
 */
export function glueWorkers(load: Pick<DeclaredLoad, "name" | "dailyVolumeGb">, workerType: string, limits: GlueWorkerLimits): GlueWorkerSizing {
    const dpu = GLUE_DPU_PER_WORKER[workerType];
    if (dpu === undefined) throw new Error(`${load.name}: unknown Glue worker type ${workerType}`);
    if (limits.maxWorkers < GLUE_MIN_WORKERS) throw new Error(`${load.name}: a job needs at least ${GLUE_MIN_WORKERS} workers, the ceiling is ${limits.maxWorkers}`);
    const inputGbPerRun = (load.dailyVolumeGb * limits.runIntervalSeconds) / 86_400;
    const requiredWorkers = 1 + Math.max(1, Math.ceil(inputGbPerRun / (GLUE_INPUT_GB_PER_DPU_PER_RUN * dpu)));
    const [limitedBy, maxWorkers]: [GlueWorkerSizing["limitedBy"], number] =
        requiredWorkers > limits.maxWorkers ? ["ceiling", limits.maxWorkers] : requiredWorkers <= GLUE_MIN_WORKERS ? ["minimum", GLUE_MIN_WORKERS] : ["volume", requiredWorkers];
    return { workerType, maxWorkers, autoScaling: true, inputGbPerRun: Math.round(inputGbPerRun * 1000) / 1000, requiredWorkers, limitedBy };
}

/**
 * Spark settings every job runs with, against skew: adaptive query execution re-plans each stage from
 * its shuffle statistics, splits skewed join partitions and coalesces small ones, so one hot key
 * (a busy event type, a large customer) does not leave a single task doing most of the work
 * (https://spark.apache.org/docs/latest/sql-performance-tuning.html#adaptive-query-execution; AWS advises
 * AQE for skewed jobs, https://docs.aws.amazon.com/glue/latest/dg/monitor-observability.html).
 * Spark 3.2+ turns them on by default; stated here so no cluster default or later change can drop them.
 */
export const SKEW_SAFE_SPARK_CONF: Readonly<Record<string, string>> = {
    "spark.sql.adaptive.enabled": "true",
    "spark.sql.adaptive.skewJoin.enabled": "true",
    "spark.sql.adaptive.coalescePartitions.enabled": "true",
};

/**
 * The value of a job's one `--conf` argument holding several Spark settings: a job's arguments are a
 * map, so `--conf` appears once, and AWS documents several settings as `k=v --conf k2=v2`
 * ("Use --conf before each parameter",
 * https://docs.aws.amazon.com/glue/latest/dg/interactive-sessions-magics.html).
 */
export function sparkConfArgument(conf: Readonly<Record<string, string>>): string {
    return Object.entries(conf)
        .map(([key, value]) => `${key}=${value}`)
        .join(" --conf ");
}

/** Parses a `--conf` argument back into its settings (the inverse of {@link sparkConfArgument}). */
export function parseSparkConfArgument(value: string): Record<string, string> {
    return Object.fromEntries(
        value
            .split(/\s+--conf\s+/)
            .map((pair) => pair.trim())
            .filter(Boolean)
            .map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]),
    );
}
