import { interpolate } from "@pulumi/pulumi";
import type * as pulumi from "@pulumi/pulumi";
import type { AccountContext } from "../shared/naming";
import { type PolicyStatement, policyDocument } from "../shared/policy-document";

/**
 * A grant in a key policy to an AWS service principal. A condition is mandatory: it binds the
 * grant to this account's resources, so the policy never holds an unconditioned principal.
 */
export interface ServiceKeyGrant {
    /** Statement id, unique in the key policy. */
    sid: string;
    /** Service principal, e.g. `logs.eu-west-1.amazonaws.com`. */
    service: string;
    /** KMS actions the service may call. */
    actions: string[];
    /** IAM condition block; at least one operator. */
    condition: NonNullable<PolicyStatement["Condition"]>;
}

/** Actions a service needs to encrypt and decrypt with a key. */
export const ENCRYPT_DECRYPT_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"];

/**
 * The key policy of every platform key. The account root statement delegates access to IAM (the
 * AWS default, which keeps the key manageable); everything else is a conditioned service grant.
 */
export function keyPolicy(account: AccountContext, grants: ServiceKeyGrant[]): pulumi.Output<string> {
    const statements: PolicyStatement[] = [
        {
            Sid: "AccountAdministersKeyThroughIam",
            Effect: "Allow",
            Principal: { AWS: rootArn(account) },
            Action: "kms:*",
            Resource: "*",
        },
        ...grants.map(
            (grant): PolicyStatement => ({
                Sid: grant.sid,
                Effect: "Allow",
                Principal: { Service: grant.service },
                Action: grant.actions,
                Resource: "*",
                Condition: grant.condition,
            }),
        ),
    ];
    return policyDocument(statements);
}

/** The account root principal ARN. */
export function rootArn(account: AccountContext): pulumi.Output<string> {
    return interpolate`arn:${account.partition}:iam::${account.accountId}:root`;
}

/** Grant for CloudWatch Logs to encrypt this account's log groups in the Region. */
export function cloudWatchLogsGrant(account: AccountContext): ServiceKeyGrant {
    return {
        sid: "CloudWatchLogsEncryptsThisAccountsLogGroups",
        service: `logs.${account.region}.amazonaws.com`,
        actions: ENCRYPT_DECRYPT_ACTIONS,
        condition: {
            ArnLike: {
                "kms:EncryptionContext:aws:logs:arn": interpolate`arn:${account.partition}:logs:${account.region}:${account.accountId}:log-group:*`,
            },
        },
    };
}

/** Grant for S3 server access log delivery into an SSE-KMS target bucket. */
export function s3AccessLogDeliveryGrant(account: AccountContext): ServiceKeyGrant {
    return {
        sid: "S3ServerAccessLogDelivery",
        service: "logging.s3.amazonaws.com",
        actions: ["kms:GenerateDataKey*", "kms:Decrypt"],
        condition: { StringEquals: { "aws:SourceAccount": account.accountId } },
    };
}


/**
 * Grants for CloudWatch alarms and EventBridge rules to publish to SNS topics encrypted with the
 * key (SNS needs the publisher to be able to use the topic's key).
 */
export function alertPublisherGrants(account: AccountContext): ServiceKeyGrant[] {
    const publishers = [
        ["CloudWatchAlarmsPublishToEncryptedTopics", "cloudwatch.amazonaws.com"],
        ["EventBridgeRulesPublishToEncryptedTopics", "events.amazonaws.com"],
    ];
    return publishers.map(([sid, service]) => ({
        sid,
        service,
        actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
        condition: { StringEquals: { "aws:SourceAccount": account.accountId } },
    }));
}

/**
 * Grants for CloudTrail to encrypt the named trails' log files, as CloudTrail calls KMS
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html):
 * `kms:DescribeKey` in a statement of its own, because a DescribeKey request carries no encryption
 * context (with the context condition it would be denied and CreateTrail would fail with
 * InsufficientEncryptionPolicyException); `kms:GenerateDataKey*` with the trail as encryption
 * context; and `kms:Decrypt`, which CloudTrail needs when the trail's bucket uses an S3 bucket key.
 * Each is limited to these trails by `aws:SourceArn`.
 */
export function cloudTrailGrants(account: AccountContext, trailArns: pulumi.Input<string>[]): ServiceKeyGrant[] {
    if (trailArns.length === 0) return [];
    const fromTheseTrails = { StringEquals: { "aws:SourceArn": trailArns.length === 1 ? trailArns[0] : trailArns } };
    return [
        { sid: "CloudTrailDescribesTheKey", service: "cloudtrail.amazonaws.com", actions: ["kms:DescribeKey"], condition: fromTheseTrails },
        {
            sid: "CloudTrailEncryptsItsLogFiles",
            service: "cloudtrail.amazonaws.com",
            actions: ["kms:GenerateDataKey*"],
            condition: {
                ...fromTheseTrails,
                StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": interpolate`arn:${account.partition}:cloudtrail:*:${account.accountId}:trail/*` },
            },
        },
        { sid: "CloudTrailDecryptsForTheBucketKey", service: "cloudtrail.amazonaws.com", actions: ["kms:Decrypt"], condition: fromTheseTrails },
    ];
}

/** Grant for vended log delivery (Step Functions logs of a state machine encrypted with the key). */
export function logDeliveryGrant(account: AccountContext): ServiceKeyGrant {
    return {
        sid: "VendedLogDeliveryDecrypts",
        service: "delivery.logs.amazonaws.com",
        actions: ["kms:Decrypt"],
        condition: { StringEquals: { "aws:SourceAccount": account.accountId } },
    };
}
