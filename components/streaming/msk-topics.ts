import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type DataProtection, statefulOptions } from "../shared/protection";

/** A topic the stack creates: one per MSK domain, sized by lib/sizing.ts `kafkaTopic`. */
export interface KafkaTopic {
    /** Topic name (lib/naming.ts `kafkaTopicName`). */
    name: string;
    /** Partitions. */
    partitions: number;
    /** Replicas per partition. */
    replicationFactor: number;
    /** Replicas that must acknowledge a write (`min.insync.replicas`). */
    minInSyncReplicas: number;
    /** How long records are kept (`retention.ms`). */
    retentionMs: number;
}

/** Arguments of {@link MskTopics}. */
export interface MskTopicsArgs {
    /** The provisioned cluster (Apache Kafka 3.6.0 or later, which config/ checks). */
    clusterArn: pulumi.Input<string>;
    /** Topics to create. */
    topics: KafkaTopic[];
    /** Protection of the topics: deleting one deletes its records. */
    protection: DataProtection;
}

/**
 * The topics of a provisioned MSK cluster, created with MSK's topic API (`aws.msk.Topic`), since
 * the cluster creates none implicitly (`auto.create.topics.enable=false`). The API needs a cluster
 * of Apache Kafka 3.6.0 or later in the ACTIVE state, and the deploying identity needs
 * `kafka-cluster:Connect`, `CreateTopic`, `DescribeTopic`, `AlterTopic` and the topic
 * configuration actions on the cluster and its topics
 * (https://docs.aws.amazon.com/msk/latest/developerguide/msk-topic-operations-information.html).
 * Records are kept for the domain's retention, and writes need all replicas but one.
 */
export class MskTopics extends pulumi.ComponentResource {
    /** Each topic's resource, by topic name: what a reader of the topic waits for. */
    public readonly created: Record<string, pulumi.Resource>;

    constructor(name: string, args: MskTopicsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lakehouse:streaming:MskTopics", name, {}, opts);
        this.created = {};
        for (const topic of args.topics) {
            this.created[topic.name] = new aws.msk.Topic(
                `${name}-${topic.name}`,
                {
                    name: topic.name,
                    clusterArn: args.clusterArn,
                    partitionCount: topic.partitions,
                    replicationFactor: topic.replicationFactor,
                    configs: JSON.stringify({ "retention.ms": String(topic.retentionMs), "min.insync.replicas": String(topic.minInSyncReplicas) }),
                },
                {
                    parent: this,
                    // Retained on delete where data is kept: a topic holds records Firehose may not
                    // have delivered yet. A retained, fixed-name topic cannot be replaced in place (the
                    // create would find it still there), and only the replication factor forces a
                    // replacement on the same cluster, so it is not changed after creation: raising it
                    // is a partition reassignment, done with Kafka's tools, not a new topic. A new
                    // cluster (another clusterArn) gets a new topic; the old one goes with its cluster.
                    ...statefulOptions(args.protection),
                    ignoreChanges: ["replicationFactor"],
                },
            );
        }
        this.registerOutputs({});
    }
}
