export * from "./spark-etl-jobs";
