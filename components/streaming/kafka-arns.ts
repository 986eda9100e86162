import * as pulumi from "@pulumi/pulumi";

/**
 * The ARN of a topic or consumer group of an MSK cluster (provisioned or Serverless): the cluster's
 * ARN with `cluster/` replaced by the kind, then the name
 * (https://docs.aws.amazon.com/msk/latest/developerguide/kafka-actions.html), e.g.
 * `arn:aws:kafka:eu-west-1:123456789012:topic/my-cluster/1111-2222-3/orders`.
 */
export function kafkaResourceArn(clusterArn: pulumi.Input<string>, kind: "topic" | "group", name: string): pulumi.Output<string> {
    return pulumi.output(clusterArn).apply((arn) => {
        const at = arn.indexOf(":cluster/");
        if (at < 0) throw new pulumi.RunError(`not an MSK cluster ARN: ${arn}`);
        return `${arn.slice(0, at)}:${kind}/${arn.slice(at + ":cluster/".length)}/${name}`;
    });
}
