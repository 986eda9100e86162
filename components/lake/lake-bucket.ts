import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { LifecycleConfig } from "../../config/schema";
import { type PolicyStatement, policyDocument } from "../shared/policy-document";
import { type DataProtection, statefulOptions } from "../shared/protection";
import { TAG_KEYS } from "../shared/tags";

/** Where a bucket sends its server access logs. */
export interface AccessLogTarget {
    /** Name of the access-log bucket. */
    bucket: pulumi.Input<string>;
    /** Key prefix inside it, ending in `/`. */
    prefix: string;
}

/** Arguments of {@link LakeBucket}. */
export interface LakeBucketArgs {
    /** Globally unique bucket name (3-63 characters). */
    bucketName: pulumi.Input<string>;
    /** Value of the `data-zone` tag: `raw`, `curated`, `analytics`, `logs` or `artefacts`. */
    zone: string;
    /** ARN of the customer-managed key for SSE-KMS (with S3 bucket keys on). */
    kmsKeyArn: pulumi.Input<string>;
    /** Lifecycle tiering and expiry of this bucket. */
    lifecycle: LifecycleConfig;
    /**
     * Where this bucket's server access logs go. Omitted only for the access-log bucket itself,
     * which must not log into itself.
     * @default undefined
     */
    accessLogs?: AccessLogTarget;
    /**
     * Extra statements for the bucket policy, appended after the TLS-only denials.
     * @default []
     */
    extraPolicyStatements?: (bucketArn: pulumi.Output<string>) => PolicyStatement[];
    /**
     * Prefixes whose objects expire sooner than the rest (e.g. temporary directories).
     * @default []
     */
    prefixExpirations?: { prefix: string; days: number }[];
    /** Whether the bucket is protected, retained, or (both switches set) force-destroyable. */
    protection: DataProtection;
}

/**
 * One lake bucket in the @pulumi/aws 7 style: the bucket plus separate ownership, public access,
 * encryption, versioning, lifecycle, logging and policy resources. Every bucket is SSE-KMS with a
 * customer-managed key, TLS-only, private with ACLs disabled, versioned, logged and tiered.
 */
export class LakeBucket extends pulumi.ComponentResource {
    /** Bucket name. */
    public readonly bucketName: pulumi.Output<string>;
    /** Bucket ARN. */
    public readonly arn: pulumi.Output<string>;

    constructor(name: string, args: LakeBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lakehouse:lake:LakeBucket", name, {}, opts);
        const child = { parent: this };

        const bucket = new aws.s3.Bucket(
            name,
            {
                bucket: args.bucketName,
                forceDestroy: args.protection.removeDataOnDestroy,
                tags: { [TAG_KEYS.dataZone]: args.zone },
            },
            { ...child, ...statefulOptions(args.protection) },
        );

        const ownership = new aws.s3.BucketOwnershipControls(name, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, child);
        const publicAccess = new aws.s3.BucketPublicAccessBlock(
            name,
            { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            child,
        );
        new aws.s3.BucketServerSideEncryptionConfiguration(
            name,
            {
                bucket: bucket.id,
                rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn }, bucketKeyEnabled: true }],
            },
            child,
        );
        const versioning = new aws.s3.BucketVersioning(name, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, child);
        new aws.s3.BucketLifecycleConfiguration(name, { bucket: bucket.id, rules: lifecycleRules(args.lifecycle, args.prefixExpirations) }, { ...child, dependsOn: [versioning] });

        if (args.accessLogs) {
            new aws.s3.BucketLogging(
                name,
                {
                    bucket: bucket.id,
                    targetBucket: args.accessLogs.bucket,
                    targetPrefix: args.accessLogs.prefix,
                    // Date-partitioned keys keep log queries (Athena) cheap.
                    targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } },
                },
                child,
            );
        }

        new aws.s3.BucketPolicy(
            name,
            { bucket: bucket.id, policy: policyDocument([...tlsOnlyStatements(bucket.arn), ...(args.extraPolicyStatements?.(bucket.arn) ?? [])]) },
            // The public access block must exist first, or S3 may judge the policy before it applies.
            { ...child, dependsOn: [publicAccess, ownership] },
        );

        this.bucketName = bucket.bucket;
        this.arn = bucket.arn;
        this.registerOutputs({ bucketName: this.bucketName, arn: this.arn });
    }
}

/** Denies every request that does not use TLS 1.2 or later. */
export function tlsOnlyStatements(bucketArn: pulumi.Output<string>): PolicyStatement[] {
    const resources = [bucketArn, pulumi.interpolate`${bucketArn}/*`];
    return [
        {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: resources,
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
        {
            Sid: "DenyTlsBelow12",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: resources,
            Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
        },
    ];
}

/** The lifecycle rules of a bucket: tiering and expiry, plus version and upload hygiene. */
export function lifecycleRules(lifecycle: LifecycleConfig, prefixExpirations: { prefix: string; days: number }[] = []): aws.types.input.s3.BucketLifecycleConfigurationRule[] {
    const rules: aws.types.input.s3.BucketLifecycleConfigurationRule[] = [
        {
            id: "tiering-and-retention",
            status: "Enabled",
            filter: {},
            transitions: lifecycle.transitions.map((t) => ({ days: t.days, storageClass: t.storageClass })),
            ...(lifecycle.expirationDays !== undefined ? { expiration: { days: lifecycle.expirationDays } } : {}),
            noncurrentVersionExpiration: { noncurrentDays: lifecycle.noncurrentVersionExpirationDays },
            abortIncompleteMultipartUpload: { daysAfterInitiation: lifecycle.abortIncompleteMultipartUploadDays },
        },
    ];
    if (lifecycle.expirationDays === undefined) {
        // Without an expiry, delete markers left once noncurrent versions expire would pile up.
        rules.push({ id: "expired-delete-markers", status: "Enabled", filter: {}, expiration: { expiredObjectDeleteMarker: true } });
    }
    for (const { prefix, days } of prefixExpirations) {
        rules.push({ id: `expire-${prefix.replace(/[^A-Za-z0-9]+/g, "-").replace(/-$/, "")}`, status: "Enabled", filter: { prefix }, expiration: { days } });
    }
    return rules;
}
