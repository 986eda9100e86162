import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AccountContext } from "../shared/naming";
import { policyDocument } from "../shared/policy-document";

/** Arguments of {@link AlertTopic}. */
export interface AlertTopicArgs {
    /** Topic name, e.g. `lakehouse-prod-alerts`. */
    topicName: string;
    /** Customer-managed key of the topic (the operations key). */
    kmsKeyArn: pulumi.Input<string>;
    /**
     * E-mail addresses subscribed to alerts (each must confirm the subscription).
     * @default []
     */
    emails?: string[];
    /** Account the topic policy admits publishers from. */
    account: AccountContext;
}

/**
 * The encrypted SNS topic alarms, rules and pipelines publish to. Its policy admits CloudWatch
 * and EventBridge of this account only, and the account itself, never a public principal.
 */
export class AlertTopic extends pulumi.ComponentResource {
    public readonly topicArn: pulumi.Output<string>;
    public readonly topicName: pulumi.Output<string>;

    constructor(name: string, args: AlertTopicArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lakehouse:monitoring:AlertTopic", name, {}, opts);
        const { account } = args;
        const topic = new aws.sns.Topic(name, { name: args.topicName, kmsMasterKeyId: args.kmsKeyArn }, { parent: this });
        new aws.sns.TopicPolicy(
            name,
            {
                arn: topic.arn,
                policy: policyDocument([
                    {
                        Sid: "AccountManagesTopic",
                        Effect: "Allow",
                        Principal: { AWS: pulumi.interpolate`arn:${account.partition}:iam::${account.accountId}:root` },
                        Action: ["sns:Publish", "sns:Subscribe", "sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:ListSubscriptionsByTopic"],
                        Resource: topic.arn,
                    },
                    {
                        Sid: "AlarmsAndRulesPublish",
                        Effect: "Allow",
                        Principal: { Service: ["cloudwatch.amazonaws.com", "events.amazonaws.com"] },
                        Action: "sns:Publish",
                        Resource: topic.arn,
                        Condition: { StringEquals: { "aws:SourceAccount": account.accountId } },
                    },
                    {
                        Sid: "DenyInsecureTransport",
                        Effect: "Deny",
                        Principal: "*",
                        Action: "sns:Publish",
                        Resource: topic.arn,
                        Condition: { Bool: { "aws:SecureTransport": "false" } },
                    },
                ]),
            },
            { parent: this },
        );
        (args.emails ?? []).forEach((email, i) => {
            new aws.sns.TopicSubscription(`${name}-email-${i}`, { topic: topic.arn, protocol: "email", endpoint: email }, { parent: this });
        });
        this.topicArn = topic.arn;
        this.topicName = topic.name;
        this.registerOutputs({ topicArn: this.topicArn });
    }
}
