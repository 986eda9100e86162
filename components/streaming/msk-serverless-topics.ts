import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { KafkaTopicFunction, type KafkaTopicFunctionArgs } from "./kafka-topic-function";
import type { KafkaTopic } from "./msk-topics";

/**
 * Arguments of {@link MskServerlessTopics}: those of its {@link KafkaTopicFunction} (where it runs,
 * what it is kept with, the cluster), with the topics themselves in place of their names.
 */
export interface MskServerlessTopicsArgs extends Omit<KafkaTopicFunctionArgs, "topicNames"> {
    /**
     * Topics to create. Serverless sets replication (3) and in-sync replicas (2) itself; of these
     * settings only partitions and retention reach the cluster.
     */
    topics: KafkaTopic[];
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
        const { topics, ...functionArgs } = args;
        const creator = new KafkaTopicFunction(name, { ...functionArgs, topicNames: topics.map((t) => t.name) }, { parent: this });
        const input = pulumi.output(args.clusterArn).apply((clusterArn) =>
            JSON.stringify({
                clusterArn,
                topics: topics.map((t) => ({ name: t.name, partitions: t.partitions, replicationFactor: t.replicationFactor, configs: { "retention.ms": String(t.retentionMs) } })),
            }),
        );
        const invocation = new aws.lambda.Invocation(name, { functionName: creator.functionName, input }, { parent: this, dependsOn: [creator] });
        this.created = Object.fromEntries(topics.map((t) => [t.name, invocation]));
        this.registerOutputs({});
    }
}
