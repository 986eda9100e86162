import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AccountContext } from "../shared/naming";
import { policyDocument } from "../shared/policy-document";

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
    /**
     * Principals that may assume the producer role (`<queueName>-producer`), which may send to the
     * queue: the role trusts exactly these, never the whole account (any role of the account whose
     * own policy allowed sts:AssumeRole could otherwise feed the platform). Empty: no producer role.
     * @default []
     */
    producerPrincipalArns?: string[];
    /** Account the producer role lives in. */
    account: AccountContext;
}

/**
 * The SQS ingestion queue with its dead-letter queue: both encrypted with a customer-managed key,
 * redrive after `maxReceiveCount` receives, the DLQ accepting redrive from this queue only, and a
 * producer role that may send to the queue (and use its key), for the applications that feed it.
 */
export class IngestionQueue extends pulumi.ComponentResource {
    public readonly queueArn: pulumi.Output<string>;
    public readonly queueUrl: pulumi.Output<string>;
    public readonly queueName: pulumi.Output<string>;
    public readonly deadLetterQueueArn: pulumi.Output<string>;
    public readonly deadLetterQueueName: pulumi.Output<string>;
    public readonly deadLetterQueueUrl: pulumi.Output<string>;
    /** Role producers assume to send to the queue (none when no producer is named). */
    public readonly producerRoleArn: pulumi.Output<string | undefined>;

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
        const producers = args.producerPrincipalArns ?? [];
        const producer =
            producers.length > 0
                ? new aws.iam.Role(
                      `${name}-producer`,
                      {
                          name: `${args.queueName}-producer`,
                          description: `Sends records to ${args.queueName}`,
                          assumeRolePolicy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: producers }, Action: "sts:AssumeRole" }] }),
                      },
                      { parent: this },
                  )
                : undefined;
        if (producer) {
            new aws.iam.RolePolicy(
                `${name}-producer`,
                {
                    role: producer.id,
                    policy: policyDocument([
                        { Sid: "SendRecords", Effect: "Allow", Action: ["sqs:SendMessage", "sqs:GetQueueUrl"], Resource: queue.arn },
                        // Sending to a queue encrypted with a customer-managed key (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html).
                        {
                            Sid: "UseQueueKey",
                            Effect: "Allow",
                            Action: ["kms:GenerateDataKey", "kms:Decrypt"],
                            Resource: args.kmsKeyArn,
                            Condition: { StringEquals: { "kms:ViaService": `sqs.${args.account.region}.amazonaws.com` } },
                        },
                    ]),
                },
                { parent: this },
            );
        }
        this.queueArn = queue.arn;
        this.queueUrl = queue.url;
        this.queueName = queue.name;
        this.deadLetterQueueArn = dlq.arn;
        this.deadLetterQueueName = dlq.name;
        this.deadLetterQueueUrl = dlq.url;
        this.producerRoleArn = producer ? producer.arn : pulumi.output(undefined);
        this.registerOutputs({ queueArn: this.queueArn, deadLetterQueueArn: this.deadLetterQueueArn, producerRoleArn: this.producerRoleArn });
    }
}
