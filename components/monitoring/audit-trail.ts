import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createEncryptedLogGroup } from "../shared/log-group";
import type { AccountContext } from "../shared/naming";
import type { PolicyStatement } from "../shared/policy-document";
import type { DataProtection } from "../shared/protection";
import { createServiceRole } from "../shared/service-role";

/** Key prefix of trail files in the log bucket. */
export const TRAIL_PREFIX = "cloudtrail";

/** Arguments of {@link AuditTrail}. */
export interface AuditTrailArgs {
    /** Trail name; the bucket policy's `aws:SourceArn` condition names the same trail. */
    trailName: string;
    /** Bucket receiving the trail files (the access-log bucket). */
    bucketName: pulumi.Input<string>;
    /** Operations key: trail files and the log group. */
    kmsKeyArn: pulumi.Input<string>;
    /** Lake buckets whose object reads and writes are recorded (S3 data events). */
    dataEventBucketArns: pulumi.Input<string>[];
    /** Retention and name of the trail's CloudWatch log group (encrypted with `kmsKeyArn`). */
    logging: { retentionDays: number; logGroupName: string };
    /** Account, partition and Region the trail, its role and its log group are written for. */
    account: AccountContext;
    /** Protection of the trail's log group. */
    protection: DataProtection;
}

/** The ARN a trail of this name has in the account's home Region (known before the trail exists). */
export function trailArnOf(trailName: string, account: AccountContext): pulumi.Output<string> {
    return pulumi.interpolate`arn:${account.partition}:cloudtrail:${account.region}:${account.accountId}:trail/${trailName}`;
}

/**
 * Statements the trail's bucket policy needs, scoped to this trail by `aws:SourceArn`. Kept here so
 * that the bucket that hosts the trail and the trail agree on names.
 */
export function trailBucketStatements(bucketArn: pulumi.Input<string>, trailName: string, account: AccountContext): PolicyStatement[] {
    const trailArn = trailArnOf(trailName, account);
    return [
        {
            Sid: "CloudTrailAclCheck",
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "s3:GetBucketAcl",
            Resource: bucketArn,
            Condition: { StringEquals: { "aws:SourceArn": trailArn } },
        },
        {
            Sid: "CloudTrailWrite",
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: pulumi.interpolate`${bucketArn}/${TRAIL_PREFIX}/AWSLogs/${account.accountId}/*`,
            Condition: { StringEquals: { "aws:SourceArn": trailArn, "s3:x-amz-acl": "bucket-owner-full-control" } },
        },
    ];
}

/**
 * A multi-Region CloudTrail trail with log-file validation, KMS encryption, delivery to an
 * encrypted CloudWatch log group, and S3 data events (reads and writes) for the lake buckets.
 * Optional per environment, for accounts that already have an organization trail.
 */
export class AuditTrail extends pulumi.ComponentResource {
    public readonly trailArn: pulumi.Output<string>;
    public readonly logGroupName: pulumi.Output<string>;

    constructor(name: string, args: AuditTrailArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lakehouse:monitoring:AuditTrail", name, {}, opts);
        const child = { parent: this };
        const { account } = args;
        const logGroup = createEncryptedLogGroup(
            name,
            { logGroupName: args.logging.logGroupName, kmsKeyArn: args.kmsKeyArn, retentionDays: args.logging.retentionDays, protection: args.protection },
            child,
        );
        const role = createServiceRole(
            `${name}-delivery`,
            {
                description: "CloudTrail delivery to CloudWatch Logs",
                service: "cloudtrail.amazonaws.com",
                account,
                statements: [
                    { Sid: "WriteTrailEvents", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: pulumi.interpolate`${logGroup.arn}:log-stream:*` },
                ],
            },
            child,
        );
        const trail = new aws.cloudtrail.Trail(
            name,
            {
                name: args.trailName,
                s3BucketName: args.bucketName,
                s3KeyPrefix: TRAIL_PREFIX,
                isMultiRegionTrail: true,
                includeGlobalServiceEvents: true,
                enableLogFileValidation: true,
                enableLogging: true,
                kmsKeyId: args.kmsKeyArn,
                cloudWatchLogsGroupArn: pulumi.interpolate`${logGroup.arn}:*`,
                cloudWatchLogsRoleArn: role.arn,
                advancedEventSelectors: [
                    { name: "Management events", fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }] },
                    {
                        name: "Lake object reads and writes",
                        fieldSelectors: [
                            { field: "eventCategory", equals: ["Data"] },
                            { field: "resources.type", equals: ["AWS::S3::Object"] },
                            { field: "resources.ARN", startsWiths: args.dataEventBucketArns.map((arn) => pulumi.interpolate`${arn}/`) },
                        ],
                    },
                ],
            },
            child,
        );
        this.trailArn = trail.arn;
        this.logGroupName = logGroup.name;
        this.registerOutputs({ trailArn: this.trailArn });
    }
}
