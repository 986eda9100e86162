/**
 * Glue capacity shared by the estimator and the backfill command: DPUs of a job, and the
 * DPU-hours of reprocessing a range of days.
 */

import { GLUE_DPU_PER_WORKER } from "../lib/sizing";

/** DPUs per worker of each Glue worker type (one table, lib/sizing.ts's, for sizing and pricing). */
export { GLUE_DPU_PER_WORKER };

/** DPUs of a job run with `workers` workers of `workerType` (an unknown type counts as 1 DPU a worker). */
export function glueJobDpu(workerType: string, workers: number): number {
    return (GLUE_DPU_PER_WORKER[workerType] ?? 1) * workers;
}

/** Catalog key of a job's DPU-hour price. */
export function glueEtlPriceKey(executionClass: string | undefined): "glue.etl.flex" | "glue.etl.standard" {
    return executionClass === "FLEX" ? "glue.etl.flex" : "glue.etl.standard";
}

/**
 * DPU-hours of reprocessing `days` days of a domain: a day holds `runsPerDay` regular runs' worth
 * of data, and a regular run takes `minutesPerRun`. An upper bound: one backfill run over the
 * range starts Spark once where the regular runs started it every time.
 */
export function backfillDpuHours(days: number, dpu: number, runsPerDay: number, minutesPerRun: number): number {
    return (days * runsPerDay * minutesPerRun * dpu) / 60;
}
