export * from "./ingestion-queue";
export * from "./warehouse-load";
export * from "./backfill";
export * from "./pipeline-state";
export * from "./ingestion-validator";
