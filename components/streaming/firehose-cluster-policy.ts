import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { AccountContext } from "../shared/naming";
import { policyDocument } from "../shared/policy-document";

/**
 * The cluster policy that lets Firehose of this account connect privately to an MSK cluster:
 * CreateVpcConnection, DescribeCluster(V2) and GetBootstrapBrokers
 * (https://docs.aws.amazon.com/firehose/latest/dev/writing-with-msk.html). One policy per cluster.
 */
export function createFirehoseClusterPolicy(name: string, clusterArn: pulumi.Input<string>, account: AccountContext, opts: pulumi.CustomResourceOptions): aws.msk.ClusterPolicy {
    return new aws.msk.ClusterPolicy(
        name,
        {
            clusterArn,
            policy: policyDocument([
                {
                    Sid: "FirehoseConnectsPrivately",
                    Effect: "Allow",
                    Principal: { Service: "firehose.amazonaws.com" },
                    Action: ["kafka:CreateVpcConnection", "kafka:GetBootstrapBrokers", "kafka:DescribeCluster", "kafka:DescribeClusterV2"],
                    Resource: clusterArn,
                    Condition: { StringEquals: { "aws:SourceAccount": account.accountId } },
                },
            ]),
        },
        opts,
    );
}
