import * as pulumi from "@pulumi/pulumi";
import type { LifecycleConfig } from "../../config/schema";
import { type AccessLogTarget, LakeBucket } from "../lake/lake-bucket";
import { type AccountContext, lakeBucketName } from "../shared/naming";
import type { DataProtection } from "../shared/protection";

/** Value of the results bucket's `data-zone` tag (the cost estimate prices its storage under it). */
export const QUERY_RESULTS_ZONE = "query-results";

/**
 * The bucket name's zone segment: shorter than the tag, so the longest environment name still fits
 * S3's 63 characters (`<prefix>-results-<account>-<region>`, as the lake zones' names).
 */
const NAME_SEGMENT = "results";

/** Days Athena query results are kept unless the environment says otherwise. */
export const DEFAULT_RESULT_EXPIRATION_DAYS = 30;

/** Arguments of {@link QueryResultsBucket}. */
export interface QueryResultsBucketArgs {
    /** Prefix of the bucket name, e.g. `lakehouse-prod`; the name ends in `-results-<account>-<region>`. */
    namePrefix: string;
    /** Account and Region the globally unique bucket name is built from. */
    account: AccountContext;
    /** ARN of the customer-managed key results are encrypted with (SSE-KMS, with S3 bucket keys on). */
    kmsKeyArn: pulumi.Input<string>;
    /**
     * Where the bucket's server access logs go: the lake's access-log bucket, whose delivery
     * statement admits every bucket named `<namePrefix>-*`.
     */
    accessLogs: AccessLogTarget;
    /**
     * Days after which a query's result files (current versions) expire.
     * @default 30
     */
    resultExpirationDays?: number;
    /**
     * Days after which a result file that was overwritten or expired (a noncurrent version) is deleted.
     * @default 1
     */
    noncurrentVersionExpirationDays?: number;
    /**
     * Days after which multipart uploads a cancelled or failed query left behind are aborted.
     * @default 1
     */
    abortIncompleteMultipartUploadDays?: number;
    /** Whether the bucket is protected, retained, or (both destroy switches set) force-destroyable. */
    protection: DataProtection;
}

/**
 * The bucket Athena writes query results to: a lake bucket (SSE-KMS with the given customer-managed
 * key, TLS-only, private with ACLs disabled, versioned, access-logged) whose objects expire, since a
 * result is a copy of lake data a persona already read and keeping it longer only widens what a
 * leaked credential exposes. Each workgroup writes under its own prefix (`<persona>/`).
 */
export class QueryResultsBucket extends pulumi.ComponentResource {
    /** Bucket name. */
    public readonly bucketName: pulumi.Output<string>;
    /** Bucket ARN. */
    public readonly arn: pulumi.Output<string>;

    constructor(name: string, args: QueryResultsBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lakehouse:query:QueryResultsBucket", name, {}, opts);
        const { account } = args;

        const lifecycle: LifecycleConfig = {
            // Results are read within minutes of the query; no tiering would pay back its transition fee.
            transitions: [],
            expirationDays: args.resultExpirationDays ?? DEFAULT_RESULT_EXPIRATION_DAYS,
            noncurrentVersionExpirationDays: args.noncurrentVersionExpirationDays ?? 1,
            // A cancelled query (a bytes-scanned cut-off) may leave multipart uploads; AWS recommends a
            // lifecycle rule that aborts them (https://docs.aws.amazon.com/athena/latest/ug/workgroups-setting-control-limits-cloudwatch.html).
            abortIncompleteMultipartUploadDays: args.abortIncompleteMultipartUploadDays ?? 1,
        };
        const bucket = new LakeBucket(
            name,
            {
                bucketName: pulumi.output(account.accountId).apply((accountId) => lakeBucketName(args.namePrefix, NAME_SEGMENT, accountId, account.region)),
                zone: QUERY_RESULTS_ZONE,
                kmsKeyArn: args.kmsKeyArn,
                lifecycle,
                accessLogs: args.accessLogs,
                protection: args.protection,
            },
            { parent: this },
        );

        this.bucketName = bucket.bucketName;
        this.arn = bucket.arn;
        this.registerOutputs({ bucketName: this.bucketName, arn: this.arn });
    }
}
