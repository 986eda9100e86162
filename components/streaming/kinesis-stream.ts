import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type DataProtection, statefulOptions } from "../shared/protection";

/** Shard-level metrics the alarms and dashboard read. */
export const SHARD_LEVEL_METRICS = [
    "IncomingBytes",
    "IncomingRecords",
    "OutgoingBytes",
    "OutgoingRecords",
    "WriteProvisionedThroughputExceeded",
    "ReadProvisionedThroughputExceeded",
    "IteratorAgeMilliseconds",
];

/** Arguments of {@link KinesisStream}. */
export interface KinesisStreamArgs {
    /** Stream name. */
    streamName: string;
    /**
     * `PROVISIONED` (shards from sizing) or `ON_DEMAND` (AWS scales, priced per stream-hour and GB).
     * @default "PROVISIONED"
     */
    mode?: "PROVISIONED" | "ON_DEMAND";
    /**
     * Shard count in `PROVISIONED` mode, from the sizing module or an explicit override. Required
     * in that mode; AWS scales an `ON_DEMAND` stream itself, so it is not read there.
     * @default none (required in `PROVISIONED` mode)
     */
    shardCount?: number;
    /** Hours records are kept (24-8760). */
    retentionHours: number;
    /** Customer-managed key for server-side encryption (the streaming key). */
    kmsKeyArn: pulumi.Input<string>;
    /**
     * Consumers that read with enhanced fan-out (each gets its own 2 MB/s per shard): one
     * registered stream consumer each, named `<stream>-efo-<n>`.
     * @default 0
     */
    enhancedFanOutConsumers?: number;
    /** Protection of the stream's data. */
    protection: DataProtection;
}

/**
 * A Kinesis data stream encrypted with the streaming key, with the retention the domain declares
 * and shard-level metrics on.
 */
export class KinesisStream extends pulumi.ComponentResource {
    /** Stream name. */
    public readonly streamName: pulumi.Output<string>;
    /** Stream ARN. */
    public readonly arn: pulumi.Output<string>;
    /** ARNs of the enhanced fan-out consumers, for the applications that read through them. */
    public readonly consumerArns: pulumi.Output<string>[];
    /** Names of the enhanced fan-out consumers (their iterator-age alarms' dimension). */
    public readonly consumerNames: pulumi.Output<string>[];

    constructor(name: string, args: KinesisStreamArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lakehouse:streaming:KinesisStream", name, {}, opts);
        const mode = args.mode ?? "PROVISIONED";
        if (mode === "PROVISIONED" && args.shardCount === undefined) {
            throw new pulumi.RunError(`KinesisStream ${name}: shardCount is required in PROVISIONED mode`);
        }
        const stream = new aws.kinesis.Stream(
            name,
            {
                name: args.streamName,
                streamModeDetails: { streamMode: mode },
                ...(mode === "PROVISIONED" ? { shardCount: args.shardCount } : {}),
                retentionPeriod: args.retentionHours,
                encryptionType: "KMS",
                kmsKeyId: args.kmsKeyArn,
                shardLevelMetrics: SHARD_LEVEL_METRICS,
            },
            { parent: this, ...statefulOptions(args.protection) },
        );
        const consumers = Array.from(
            { length: args.enhancedFanOutConsumers ?? 0 },
            (_, i) => new aws.kinesis.StreamConsumer(`${name}-efo-${i + 1}`, { name: `${args.streamName}-efo-${i + 1}`, streamArn: stream.arn }, { parent: this }),
        );
        this.consumerArns = consumers.map((c) => c.arn);
        this.consumerNames = consumers.map((c) => c.name);
        this.streamName = stream.name;
        this.arn = stream.arn;
        this.registerOutputs({ streamName: this.streamName, arn: this.arn, consumerArns: this.consumerArns, consumerNames: this.consumerNames });
    }
}
