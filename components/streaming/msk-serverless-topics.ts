import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AccountContext } from "../shared/naming";
import type { DataProtection } from "../shared/protection";
import { KafkaTopicFunction } from "./kafka-topic-function";
import type { KafkaTopic } from "./msk-topics";

/** Arguments of {@link MskServerlessTopics}. */
export interface MskServerlessTopicsArgs {
    /** Name of the function that creates the topics. */
    functionName: string;
    /** The MSK Serverless cluster. */
    clusterArn: pulumi.Input<string>;
    /** Its IAM bootstrap brokers. */
    bootstrapBrokers: pulumi.Input<string>;
    /**
     * Topics to create. Serverless sets replication (3) and in-sync replicas (2) itself; of these
     * settings only partitions and retention reach the cluster.
     */
    topics: KafkaTopic[];
    /** Private subnets and VPC the function runs in. */
    network: { vpcId: pulumi.Input<string>; vpcCidr: string; subnetIds: pulumi.Input<pulumi.Input<string>[]> };
    /** The operations key (function environment and log group). */
    operationsKeyArn: pulumi.Input<string>;
    /** Retention of the function's log group. */
    logRetentionDays: number;
    /**
     * Concurrency reserved for the function (opt-in; see {@link KafkaTopicFunction}).
     * @default none
     */
    reservedConcurrency?: number;
    /** Account, partition and Region of the function's role. */
    account: AccountContext;
    /** Protection of the function's log group. */
    protection: DataProtection;
}

/**
 * The topics of an MSK Serverless cluster, which MSK's topic API does not serve (provisioned
 * clusters only: https://docs.aws.amazon.com/msk/latest/developerguide/msk-topic-operations-information.html):
 * a {@link KafkaTopicFunction} invoked at deploy time through `aws.lambda.Invocation`, again whenever
 * the declared topics or the cluster change. The invocation waits for the whole function (its role's
 * policy included), and a failed creation fails the deploy.
 */
export class MskServerlessTopics extends pulumi.ComponentResource {
    /** What creates each topic, by topic name: what a reader of the topic waits for. */
    public readonly created: Record<string, pulumi.Resource>;

    constructor(name: string, args: MskServerlessTopicsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lakehouse:streaming:MskServerlessTopics", name, {}, opts);
        const creator = new KafkaTopicFunction(
            name,
            {
                functionName: args.functionName,
                clusterArn: args.clusterArn,
                bootstrapBrokers: args.bootstrapBrokers,
                topicNames: args.topics.map((t) => t.name),
                network: args.network,
                operationsKeyArn: args.operationsKeyArn,
                logRetentionDays: args.logRetentionDays,
                reservedConcurrency: args.reservedConcurrency,
                account: args.account,
                protection: args.protection,
            },
            { parent: this },
        );
        const input = pulumi.output(args.clusterArn).apply((clusterArn) =>
            JSON.stringify({
                clusterArn,
                topics: args.topics.map((t) => ({ name: t.name, partitions: t.partitions, replicationFactor: t.replicationFactor, configs: { "retention.ms": String(t.retentionMs) } })),
            }),
        );
        const invocation = new aws.lambda.Invocation(name, { functionName: creator.functionName, input }, { parent: this, dependsOn: [creator] });
        this.created = Object.fromEntries(args.topics.map((t) => [t.name, invocation]));
        this.registerOutputs({});
    }
}
