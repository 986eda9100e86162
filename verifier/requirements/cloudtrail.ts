import { s3Arn } from "../arn";
import type { AccessCheck } from "../iam";
import type { PlannedResource } from "../plan";
import { assumeRole } from "./common";
import type { HopSpec, Requirement } from "./types";

const TYPE = "aws:cloudtrail/trail:Trail";

function spec(trail: PlannedResource, requirement: string, hop: string, principal: string, checks: AccessCheck[], fix: string): HopSpec {
    return { requirement, domain: "platform", hop, principal, checks, fix, urn: trail.urn };
}

export const cloudTrailRequirements: Requirement[] = [
    {
        id: "cloudtrail.bucket",
        resourceType: TYPE,
        summary: "The bucket policy lets cloudtrail.amazonaws.com read the bucket ACL and put log files under <prefix>/AWSLogs/<account>/ with bucket-owner-full-control, for this trail (aws:SourceArn).",
        doc: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html",
        hops: (trail, model) => {
            const bucket = String(trail.inputs.s3BucketName ?? "");
            const trailArn = model.arnOf(trail);
            if (!bucket || !trailArn) return [];
            const prefix = trail.inputs.s3KeyPrefix ? `${trail.inputs.s3KeyPrefix}/` : "";
            const context = { "aws:SourceArn": trailArn };
            return [
                spec(
                    trail,
                    "cloudtrail.bucket",
                    "CloudTrail delivers log files",
                    "cloudtrail.amazonaws.com",
                    [
                        { action: "s3:GetBucketAcl", resource: s3Arn(model.partition, bucket), context },
                        { action: "s3:PutObject", resource: s3Arn(model.partition, bucket, `${prefix}AWSLogs/${model.accountId}/CloudTrail/${model.region}/log.json.gz`), context: { ...context, "s3:x-amz-acl": "bucket-owner-full-control" } },
                    ],
                    "let cloudtrail.amazonaws.com GetBucketAcl and PutObject (bucket-owner-full-control) for this trail in the bucket policy",
                ),
            ];
        },
    },
    {
        id: "cloudtrail.key",
        resourceType: TYPE,
        summary:
            "The key policy lets cloudtrail.amazonaws.com DescribeKey (a request without encryption context), GenerateDataKey* with the trail as encryption context, and Decrypt when the trail's bucket uses an S3 bucket key.",
        doc: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html",
        hops: (trail, model) => {
            const key = model.keyArn(trail.inputs.kmsKeyId);
            const trailArn = model.arnOf(trail);
            if (!key || !trailArn) return [];
            const source = { "aws:SourceArn": trailArn };
            const checks: AccessCheck[] = [
                { action: "kms:DescribeKey", resource: key, context: source },
                { action: "kms:GenerateDataKey", resource: key, context: { ...source, "kms:EncryptionContext:aws:cloudtrail:arn": trailArn } },
            ];
            if (model.bucketEncryption(String(trail.inputs.s3BucketName))?.bucketKey) checks.push({ action: "kms:Decrypt", resource: key, context: source });
            return [spec(trail, "cloudtrail.key", "CloudTrail encrypts log files", "cloudtrail.amazonaws.com", checks, "give cloudtrail.amazonaws.com DescribeKey alone, GenerateDataKey* with its encryption context and Decrypt (bucket key), each under aws:SourceArn")];
        },
    },
    {
        id: "cloudtrail.log-group",
        resourceType: TYPE,
        summary: "CloudTrail assumes its log role, which creates streams and puts events in the trail's log group.",
        doc: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html",
        hops: (trail, model) => {
            const role = trail.inputs.cloudWatchLogsRoleArn;
            const group = String(trail.inputs.cloudWatchLogsGroupArn ?? "").replace(/:\*$/, "");
            if (!role || !group) return [];
            const stream = `${group}:log-stream:${model.accountId}_CloudTrail_${model.region}`;
            return [
                spec(trail, "cloudtrail.log-group", "CloudTrail sends events to CloudWatch Logs", "cloudtrail.amazonaws.com", [assumeRole(model, role, model.arnOf(trail))], "let cloudtrail.amazonaws.com assume the log role"),
                spec(trail, "cloudtrail.log-group", "CloudTrail sends events to CloudWatch Logs", role, [{ action: "logs:CreateLogStream", resource: stream }, { action: "logs:PutLogEvents", resource: stream }], "allow the log role logs:CreateLogStream and PutLogEvents on the trail's group"),
            ];
        },
    },
];
