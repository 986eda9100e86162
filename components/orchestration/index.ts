export * from "./ingestion-queue";
export * from "./warehouse-load";
