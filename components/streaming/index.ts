export * from "./firehose-delivery";
export * from "./kafka-security-group";
export * from "./kinesis-stream";
export * from "./msk";
export * from "./msk-serverless";
export * from "./firehose-cluster-policy";
