import { rawPartitionLevel } from "./layout";
/**
 * The bound on a domain's Firehose partition key: how many raw-zone prefixes its delivery stream can
 * hold open at once against Firehose's active-partitions quota, and the JQ that keeps the key within a
 * declared set of values.
 *
 * Firehose counts as active every partition (distinct evaluated S3 prefix) whose buffer has not been
 * delivered yet: a query that yields 3 new prefixes a second with a 60-second buffer keeps about 180
 * active, a partition it cannot deliver stays active until it can, and once a stream reaches its quota
 * (500 by default, raisable to 5,000 per stream) the rest of its records go to the error prefix as
 * `activePartitionExceeded`. Buffers may take up to 1.5 times the buffer hint to deliver (multi-stage
 * buffering). https://docs.aws.amazon.com/firehose/latest/dev/buffering.html
 */

/** Active partitions a delivery stream may have by default (the quota can be raised to 5,000). */
export const FIREHOSE_ACTIVE_PARTITIONS_QUOTA = 500;
/** The quota's id in lib/quotas.ts's table and `lakehouse:quotas`, where an account's raised value is declared. */
export const FIREHOSE_ACTIVE_PARTITIONS_QUOTA_ID = "firehose-active-partitions";
/** The most a stream's quota can be raised to. */
export const FIREHOSE_ACTIVE_PARTITIONS_MAX = 5_000;
/** The partition a value outside a domain's declared set is written under. */
export const OVERFLOW_PARTITION = "_other";
/** How much longer than the buffer hint a buffer may stay open (multi-stage buffering). */
const BUFFER_DELAY_FACTOR = 1.5;
/** Length of the raw zone's finest time level (hour): prefixes change with the arrival hour. */
const TIME_PARTITION_SECONDS = 3_600;

/** What bounds a partition key: a declared set of values (others overflow), or a declared cardinality. */
export type PartitionBound = { values: readonly string[] } | { maxValues: number };

/** The active partitions a domain's delivery stream can reach, and the quota they are held to. */
export interface PartitionBoundSizing {
    /** The record field the raw zone is partitioned by. */
    key: string;
    /** `values` when the domain declares its values (with the overflow partition), `maxValues` otherwise. */
    boundBy: "values" | "maxValues";
    /** Distinct key values a prefix can take: the declared values plus the overflow partition, or the declared cardinality. */
    keyValues: number;
    /** Arrival-hour prefixes a value can have open at once: the current hour and those still buffered from earlier ones. */
    openTimePartitions: number;
    /** keyValues × openTimePartitions: the most partitions the stream keeps active. */
    activePartitions: number;
    /** The stream's active-partitions quota. */
    quota: number;
}

/**
 * Arrival-hour prefixes open at once: a buffer fills for up to 1.5 × the interval, so records of the
 * hour that just ended can still be buffered when the next hour's first records arrive.
 */
export function openTimePartitions(bufferIntervalSeconds: number): number {
    return 1 + Math.ceil((BUFFER_DELAY_FACTOR * bufferIntervalSeconds) / TIME_PARTITION_SECONDS);
}

/** The active partitions of a bounded key at a buffer interval, against `quota`. */
export function partitionBoundSizing(key: string, bound: PartitionBound, bufferIntervalSeconds: number, quota: number = FIREHOSE_ACTIVE_PARTITIONS_QUOTA): PartitionBoundSizing {
    const keyValues = "values" in bound ? bound.values.length + 1 : bound.maxValues;
    const open = openTimePartitions(bufferIntervalSeconds);
    return { key, boundBy: "values" in bound ? "values" : "maxValues", keyValues, openTimePartitions: open, activePartitions: keyValues * open, quota };
}

/** The most key values (the overflow partition included) a stream can take at a buffer interval within `quota`. */
export function maxKeyValues(bufferIntervalSeconds: number, quota: number): number {
    return Math.floor(quota / openTimePartitions(bufferIntervalSeconds));
}

/**
 * The MetadataExtractionQuery (JQ 1.6, the only version Firehose's inline parsing supports,
 * https://docs.aws.amazon.com/firehose/latest/dev/dynamic-partitioning-partitioning-keys.html) that
 * yields the partition key: the field itself, or, with declared values, the field when it is one of
 * them and {@link OVERFLOW_PARTITION} otherwise (a missing field included), so the prefixes stay
 * within the declared set whatever producers send. Values are compared as text (`tostring`), so a
 * number field matches its declared digits.
 */
export function partitionKeyQuery(key: string, values?: readonly string[]): string {
    // The level's own name (lib/layout.ts rawPartitionLevel): the record's field stays as it is.
    const level = rawPartitionLevel(key);
    if (values === undefined) return `{${level}:.${key}}`;
    const allowed = values.map((v) => JSON.stringify(v)).join(",");
    return `{${level}:(.${key} | tostring | if IN(${allowed}) then . else ${JSON.stringify(OVERFLOW_PARTITION)} end)}`;
}

/**
 * The values a MetadataExtractionQuery written by {@link partitionKeyQuery} lets through, the overflow
 * partition included; undefined for a query that does not bound its key (so a reader of a recorded
 * delivery stream can count its partitions without the config).
 */
export function boundedQueryValues(query: string): string[] | undefined {
    const match = /\| tostring \| if IN\((.*)\) then \. else ("[^"]*") end\)\}$/.exec(query);
    if (!match) return undefined;
    try {
        return [...(JSON.parse(`[${match[1]}]`) as string[]), JSON.parse(match[2]) as string];
    } catch {
        return undefined;
    }
}
