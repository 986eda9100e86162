/**
 * `lakehouse:tables`: how the curated Apache Iceberg tables are kept — the file size compaction
 * aims at, how long snapshots (time travel) stay, and when files no snapshot references are
 * deleted. One schema here, read by the catalog's table optimizers (components/catalog/table-optimizers.ts).
 *
 * Glue's table optimizers (https://docs.aws.amazon.com/glue/latest/dg/table-optimizers.html):
 * compaction rewrites small files towards the table's `write.target-file-size-bytes`; snapshot
 * retention expires snapshots older than the retention period, keeping at least the number to
 * retain; orphan file deletion removes files under the table's location that no snapshot
 * references and that are older than its retention period, every run-rate hours.
 */
import { intRange, strict } from "./primitives";

/** What a team gets unless its stack file says otherwise. */
export const TABLE_DEFAULTS = {
    /** Glue's and Iceberg's default target (512 MiB); analytic scans read large files best. */
    targetFileSizeMb: 512,
    /** Glue's default snapshot retention period. */
    snapshotRetentionDays: 5,
    /** Snapshots kept whatever their age: Glue's default. */
    snapshotsToRetain: 1,
    /** Glue's default orphan-file retention. */
    orphanFileRetentionDays: 3,
    /** Glue runs retention and orphan-file deletion once a day by default. */
    maintenanceRunRateHours: 24,
} as const;

export const tablesSchema = strict({
    /** Size compaction writes files towards (Iceberg `write.target-file-size-bytes`). */
    targetFileSizeMb: intRange(16, 4096).default(TABLE_DEFAULTS.targetFileSizeMb),
    /** Days a snapshot stays available for time travel and incremental reads. */
    snapshotRetentionDays: intRange(1, 3650).default(TABLE_DEFAULTS.snapshotRetentionDays),
    /** Snapshots kept whatever their age. */
    snapshotsToRetain: intRange(1, 1000).default(TABLE_DEFAULTS.snapshotsToRetain),
    /**
     * Days a file no snapshot references is kept before deletion: longer than any write can stay
     * uncommitted (a job run's timeout, backfill runs included), or a running MERGE's new files
     * would be deleted before its commit references them.
     */
    orphanFileRetentionDays: intRange(1, 3650).default(TABLE_DEFAULTS.orphanFileRetentionDays),
    /** Hours between snapshot-retention and orphan-file-deletion runs (Glue allows 3 to 168). */
    maintenanceRunRateHours: intRange(3, 168).default(TABLE_DEFAULTS.maintenanceRunRateHours),
}).default({ ...TABLE_DEFAULTS });

/**
 * Why an orphan-file retention is too short for the jobs that write the tables, or undefined. A
 * MERGE writes its data files first and references them at its commit, at most one job run later:
 * the retention must outlast the longest run (`lakehouse:glue.timeoutMinutes`; a backfill is a run
 * of the same job) by a day, as Iceberg's own guidance keeps orphan removal well clear of running
 * writes (https://iceberg.apache.org/docs/latest/maintenance/#delete-orphan-files).
 */
export function orphanRetentionProblem(orphanFileRetentionDays: number, jobTimeoutMinutes: number): string | undefined {
    const needed = Math.ceil(jobTimeoutMinutes / 1440) + 1;
    if (orphanFileRetentionDays >= needed) return undefined;
    return `expected at least ${needed} days: a job run may keep its new files uncommitted for up to lakehouse:glue.timeoutMinutes (${jobTimeoutMinutes}), and orphan-file deletion must not remove them first`;
}
