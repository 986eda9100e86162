import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Arguments of {@link IngestionQueue}. */
export interface IngestionQueueArgs {
    /** Queue name; the dead-letter queue is `<name>-dlq`. */
    queueName: string;
    /** Customer-managed key of both queues (the operations key). */
    kmsKeyArn: pulumi.Input<string>;
    /**
     * Receives before a message moves to the dead-letter queue.
     * @default 5
     */
    maxReceiveCount?: number;
    /**
     * Seconds a message stays invisible after a receive; longer than the consumer's processing.
     * @default 300
     */
    visibilityTimeoutSeconds?: number;
}

/**
 * The SQS ingestion queue with its dead-letter queue: both encrypted with a customer-managed key,
 * redrive after `maxReceiveCount` receives, and the DLQ accepting redrive from this queue only.
 */
export class IngestionQueue extends pulumi.ComponentResource {
    public readonly queueArn: pulumi.Output<string>;
    public readonly queueUrl: pulumi.Output<string>;
    public readonly deadLetterQueueArn: pulumi.Output<string>;
    public readonly deadLetterQueueName: pulumi.Output<string>;

    constructor(name: string, args: IngestionQueueArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lakehouse:orchestration:IngestionQueue", name, {}, opts);
        const encryption = { kmsMasterKeyId: args.kmsKeyArn, kmsDataKeyReusePeriodSeconds: 300 };
        const dlq = new aws.sqs.Queue(`${name}-dlq`, { name: `${args.queueName}-dlq`, messageRetentionSeconds: 1_209_600, ...encryption }, { parent: this });
        const queue = new aws.sqs.Queue(
            name,
            {
                name: args.queueName,
                visibilityTimeoutSeconds: args.visibilityTimeoutSeconds ?? 300,
                messageRetentionSeconds: 345_600,
                redrivePolicy: pulumi.jsonStringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: args.maxReceiveCount ?? 5 }),
                ...encryption,
            },
            { parent: this },
        );
        new aws.sqs.RedriveAllowPolicy(
            `${name}-dlq`,
            { queueUrl: dlq.url, redriveAllowPolicy: pulumi.jsonStringify({ redrivePermission: "byQueue", sourceQueueArns: [queue.arn] }) },
            { parent: this },
        );
        this.queueArn = queue.arn;
        this.queueUrl = queue.url;
        this.deadLetterQueueArn = dlq.arn;
        this.deadLetterQueueName = dlq.name;
        this.registerOutputs({ queueArn: this.queueArn, deadLetterQueueArn: this.deadLetterQueueArn });
    }
}
