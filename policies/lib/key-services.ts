/**
 * What an AWS service needs from a customer-managed key's policy before it can use the key for a
 * resource. A key policy without it makes the resource's creation fail (CloudTrail, CloudWatch
 * Logs) or its first use fail silently later (alarm notifications to an encrypted topic).
 */

/** A resource type that encrypts with a key, and what the key policy must allow. */
export interface KeyUse {
    /** Resource type that names the key. */
    type: string;
    /** Property of that resource holding the key ARN or id (dotted path). */
    keyProperty: string;
    /** What uses the key, for messages. */
    what: string;
    /**
     * Service principal the key policy must name (`{region}` is the stack's Region), or undefined
     * when the resource's own role uses the key and the key policy must let IAM policies grant it.
     */
    servicePrincipal?: string;
    /** Actions the key policy must allow that principal (wildcards in the policy are honoured). */
    actions: string[];
    /** AWS documentation of the requirement. */
    doc: string;
}

export const KEY_USES: KeyUse[] = [
    {
        type: "aws:cloudtrail/trail:Trail",
        keyProperty: "kmsKeyId",
        what: "CloudTrail log files",
        servicePrincipal: "cloudtrail.amazonaws.com",
        actions: ["kms:GenerateDataKey", "kms:DescribeKey"],
        doc: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html",
    },
    {
        type: "aws:cloudwatch/logGroup:LogGroup",
        keyProperty: "kmsKeyId",
        what: "CloudWatch Logs",
        servicePrincipal: "logs.{region}.amazonaws.com",
        actions: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:GenerateDataKey", "kms:DescribeKey"],
        doc: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html",
    },
    {
        type: "aws:sns/topic:Topic",
        keyProperty: "kmsMasterKeyId",
        what: "CloudWatch alarm notifications",
        servicePrincipal: "cloudwatch.amazonaws.com",
        actions: ["kms:Decrypt", "kms:GenerateDataKey"],
        doc: "https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services",
    },
    {
        type: "aws:sfn/stateMachine:StateMachine",
        keyProperty: "encryptionConfiguration.kmsKeyId",
        what: "Step Functions state machine data",
        actions: ["kms:Decrypt", "kms:GenerateDataKey"],
        doc: "https://docs.aws.amazon.com/step-functions/latest/dg/encryption-at-rest.html",
    },
];
