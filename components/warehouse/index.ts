export * from "./redshift-cluster";
export * from "./redshift-serverless";
export * from "./warehouse-access";
export * from "./warehouse-schema";
