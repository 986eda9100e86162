import * as pulumi from "@pulumi/pulumi";
import type { LifecycleConfig } from "../../config/schema";
import { CHANGE_SET_EXPIRY_DAYS, CHANGE_SET_ROOT } from "../../lib/layout";
import { STAGING_EXPIRY_DAYS, STAGING_ROOT } from "../../lib/run-integrity";
import { type AccountContext, lakeBucketName } from "../shared/naming";
import type { PolicyStatement } from "../shared/policy-document";
import type { DataProtection } from "../shared/protection";
import { LakeBucket } from "./lake-bucket";

/** The medallion zones of the lake. */
export const LAKE_ZONES = ["raw", "curated", "analytics"] as const;
export type LakeZone = (typeof LAKE_ZONES)[number];

/**
 * Lifecycle of the artefacts bucket (job scripts, libraries, temporary directories): code is never
 * expired or archived, only tiered (Intelligent-Tiering keeps it instantly readable); old versions
 * of code go after 90 days; temporary directories after 7 days, far longer than any job run.
 */
export const ARTEFACTS_LIFECYCLE: LifecycleConfig = {
    transitions: [{ days: 0, storageClass: "INTELLIGENT_TIERING" }],
    noncurrentVersionExpirationDays: 90,
    abortIncompleteMultipartUploadDays: 1,
};
/** Prefix of temporary directories in the artefacts bucket. */
export const ARTEFACTS_TMP_PREFIX = "tmp/";

/** A bucket handed to other components. */
export interface BucketRef {
    /** Bucket name. */
    name: pulumi.Output<string>;
    /** Bucket ARN. */
    arn: pulumi.Output<string>;
}

/** Arguments of {@link DataLake}. */
export interface DataLakeArgs {
    /** Prefix of bucket names, e.g. `lakehouse-prod`. Names end in `-<account>-<region>` to be globally unique. */
    namePrefix: string;
    /** Account and Region the bucket names and log-delivery conditions are built from. */
    account: AccountContext;
    /** The lake key (SSE-KMS with bucket keys) for every zone and the access logs. */
    kmsKeyArn: pulumi.Input<string>;
    /** Lifecycle per zone and for the access-log bucket. */
    lifecycle: Record<LakeZone | "accessLogs", LifecycleConfig>;
    /** Protection of the lake's data. */
    protection: DataProtection;
    /**
     * Further writers of the access-log bucket (e.g. a CloudTrail trail), as bucket policy statements.
     * @default none
     */
    logBucketStatements?: (bucketArn: pulumi.Output<string>) => PolicyStatement[];
}

/**
 * The S3 data lake: raw (bronze), curated (silver) and analytics (gold) zone buckets plus the
 * access-log bucket that receives every zone's server access logs.
 */
export class DataLake extends pulumi.ComponentResource {
    /** Zone buckets. */
    public readonly zones: Record<LakeZone, BucketRef>;
    /** The access-log bucket. */
    public readonly accessLogs: BucketRef;
    /** The artefacts bucket: job scripts, libraries and temporary directories, kept apart from data lifecycles. */
    public readonly artefacts: BucketRef;

    constructor(name: string, args: DataLakeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lakehouse:lake:DataLake", name, {}, opts);
        const { account } = args;
        const bucketName = (zone: string) => pulumi.output(account.accountId).apply((accountId) => lakeBucketName(args.namePrefix, zone, accountId, account.region));

        const logs = new LakeBucket(
            `${name}-logs`,
            {
                bucketName: bucketName("logs"),
                zone: "logs",
                kmsKeyArn: args.kmsKeyArn,
                lifecycle: args.lifecycle.accessLogs,
                protection: args.protection,
                extraPolicyStatements: (arn) => [
                    {
                        Sid: "S3ServerAccessLogDeliveryFromLakeBuckets",
                        Effect: "Allow",
                        Principal: { Service: "logging.s3.amazonaws.com" },
                        Action: "s3:PutObject",
                        Resource: pulumi.interpolate`${arn}/*`,
                        Condition: {
                            StringEquals: { "aws:SourceAccount": account.accountId },
                            ArnLike: { "aws:SourceArn": pulumi.interpolate`arn:${account.partition}:s3:::${args.namePrefix}-*` },
                        },
                    },
                    ...(args.logBucketStatements?.(arn) ?? []),
                ],
            },
            { parent: this },
        );
        this.accessLogs = { name: logs.bucketName, arn: logs.arn };

        const zones = {} as Record<LakeZone, BucketRef>;
        for (const zone of LAKE_ZONES) {
            const bucket = new LakeBucket(
                `${name}-${zone}`,
                {
                    bucketName: bucketName(zone),
                    zone,
                    kmsKeyArn: args.kmsKeyArn,
                    lifecycle: args.lifecycle[zone],
                    // Staged output of ETL runs that never committed or never cleaned up (lib/run-integrity.ts): runs remove
                    // their own and earlier runs' leftovers; this rule bounds what a domain that stopped running leaves.
                    // Curated also holds each run's staging and its change set for the warehouse
                    // load (lib/layout.ts), outside the Iceberg tables' locations: both expire.
                    ...(zone === "curated"
                        ? {
                              prefixExpirations: [
                                  { prefix: STAGING_ROOT, days: STAGING_EXPIRY_DAYS },
                                  { prefix: CHANGE_SET_ROOT, days: CHANGE_SET_EXPIRY_DAYS },
                              ],
                          }
                        : {}),
                    accessLogs: { bucket: logs.bucketName, prefix: `${zone}/` },
                    protection: args.protection,
                },
                { parent: this },
            );
            zones[zone] = { name: bucket.bucketName, arn: bucket.arn };
        }
        this.zones = zones;

        const artefacts = new LakeBucket(
            `${name}-artefacts`,
            {
                bucketName: bucketName("artefacts"),
                zone: "artefacts",
                kmsKeyArn: args.kmsKeyArn,
                lifecycle: ARTEFACTS_LIFECYCLE,
                prefixExpirations: [{ prefix: ARTEFACTS_TMP_PREFIX, days: 7 }],
                accessLogs: { bucket: logs.bucketName, prefix: "artefacts/" },
                protection: args.protection,
            },
            { parent: this },
        );
        this.artefacts = { name: artefacts.bucketName, arn: artefacts.arn };

        this.registerOutputs({
            zoneBuckets: Object.fromEntries(LAKE_ZONES.map((z) => [z, zones[z].name])),
            accessLogBucket: this.accessLogs.name,
            artefactsBucket: this.artefacts.name,
        });
    }
}
