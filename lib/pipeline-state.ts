/**
 * The layout of the pipeline state table, shared by its writers (the ETL job records each run) and
 * its readers (the warehouse load finds the runs it has not loaded yet and advances the watermark).
 */

/** Attribute holding an item's expiry (epoch seconds), for DynamoDB's TTL. */
export const STATE_TTL_ATTRIBUTE = "expiresAt";

/** Days a run record is kept (its TTL) unless the jobs are told otherwise. */
export const RUN_RECORD_TTL_DAYS = 90;

/**
 * Attribute a run record carries while its output waits to be loaded (its value is the domain).
 * Only such records are in {@link PENDING_LOAD_INDEX}, a sparse index: the load reads the runs
 * it owes, oldest first, without scanning a domain's history.
 */
export const PENDING_LOAD_ATTRIBUTE = "pendingLoad";
/** The sparse global secondary index of runs waiting for the warehouse load. */
export const PENDING_LOAD_INDEX = "pending-load";

/** Status of a run record. */
export const RUN_STATUS = {
    /** Curated files written and listed in a manifest: waiting for the load. */
    transformed: "TRANSFORMED",
    /** Nothing new in the raw zone: nothing to load. */
    empty: "EMPTY",
    /** Too many rows failed the Data Quality ruleset: the run failed, nothing was written. */
    failedQuality: "FAILED_QUALITY",
    /** The run's manifest is in the warehouse. */
    loaded: "LOADED",
} as const;

/** Partition key of a domain's run records; the sort key is `<start time>#<Glue run id>`, so runs sort by time. */
export function runPartition(domain: string): string {
    return `run#${domain}`;
}

/** Sort key of every watermark item: the watermark of the warehouse load. */
export const WATERMARK_SORT_KEY = "warehouse";

/** Key of a domain's warehouse watermark: the last run loaded and when. */
export function watermarkKey(domain: string): { pk: string; sk: string } {
    return { pk: `watermark#${domain}`, sk: WATERMARK_SORT_KEY };
}

/** CloudWatch namespace of the metrics the pipeline publishes itself (row counts, data age per zone). */
export const PIPELINE_METRICS_NAMESPACE = "Lakehouse/Pipeline";

/** Metric holding the age, in seconds, of the newest data a run wrote (dimensions `Domain`, `Zone`). */
export const DATA_AGE_METRIC = "DataAgeSeconds";

/** Attribute of a run record: the newest event time (epoch milliseconds) of the rows it wrote. */
export const NEWEST_EVENT_ATTRIBUTE = "newestEventMillis";

/**
 * Parameters of a Step Functions DynamoDB Query of one domain's runs pending load (the sparse
 * {@link PENDING_LOAD_INDEX}), the domain read from the state input at `domainPath`. The load reads
 * them oldest first; the backfill only counts them.
 */
export function pendingRunsQuery(tableName: string, domainPath: string): Record<string, unknown> {
    return {
        TableName: tableName,
        IndexName: PENDING_LOAD_INDEX,
        KeyConditionExpression: "#pending = :domain",
        ExpressionAttributeNames: { "#pending": PENDING_LOAD_ATTRIBUTE },
        ExpressionAttributeValues: { ":domain": { "S.$": domainPath } },
    };
}
