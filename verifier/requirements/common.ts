import { parseArn, parseS3Url, s3Arn } from "../arn";
import type { AccessCheck } from "../iam";
import type { PlanModel } from "../model";

/** `sts:AssumeRole` by a service on a role, as the service asks for it (checked against the trust policy). */
export function assumeRole(model: PlanModel, roleArn: string, sourceArn?: string): AccessCheck {
    return { action: "sts:AssumeRole", resource: roleArn, context: sourceArn ? { "aws:SourceArn": sourceArn, "aws:SourceAccount": model.accountId } : { "aws:SourceAccount": model.accountId } };
}

/**
 * KMS requests S3 makes with the caller's credentials for an SSE-KMS object: the encryption
 * context is the bucket ARN when S3 bucket keys are on, else the object ARN.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context
 */
export function kmsViaS3(model: PlanModel, bucket: string, objectKey: string, actions: string[], keyArn?: string): AccessCheck[] {
    const encryption = model.bucketEncryption(bucket);
    const key = keyArn ?? encryption?.keyArn;
    if (!key) return [];
    const context = {
        "kms:ViaService": `s3.${model.region}.amazonaws.com`,
        "kms:EncryptionContext:aws:s3:arn": encryption?.bucketKey ? s3Arn(model.partition, bucket) : s3Arn(model.partition, bucket, objectKey),
    };
    return actions.map((action) => ({ action, resource: key, context }));
}

/** Reading objects under an `s3://bucket/prefix/` location: list the bucket, get objects, decrypt them. */
export function readLocation(model: PlanModel, url: string): AccessCheck[] {
    const location = parseS3Url(url);
    if (!location) return [];
    const objectKey = `${location.key}part-00000.parquet`;
    return [
        { action: "s3:ListBucket", resource: s3Arn(model.partition, location.bucket), context: { "s3:prefix": location.key } },
        { action: "s3:GetObject", resource: s3Arn(model.partition, location.bucket, objectKey) },
        ...kmsViaS3(model, location.bucket, objectKey, ["kms:Decrypt"]),
    ];
}

/** Writing objects under an `s3://bucket/prefix/` location (and reading back what it wrote). */
export function writeLocation(model: PlanModel, url: string, keyArn?: string, options: { delete?: boolean } = {}): AccessCheck[] {
    const location = parseS3Url(url);
    if (!location) return [];
    const objectKey = `${location.key}part-00000.parquet`;
    return [
        { action: "s3:ListBucket", resource: s3Arn(model.partition, location.bucket), context: { "s3:prefix": location.key } },
        { action: "s3:PutObject", resource: s3Arn(model.partition, location.bucket, objectKey) },
        { action: "s3:GetObject", resource: s3Arn(model.partition, location.bucket, objectKey) },
        ...(options.delete ? [{ action: "s3:DeleteObject", resource: s3Arn(model.partition, location.bucket, objectKey) }] : []),
        ...kmsViaS3(model, location.bucket, objectKey, ["kms:GenerateDataKey", "kms:Decrypt"], keyArn),
    ];
}

/** The Glue Data Catalog ARNs a table request is authorised on: catalog, database and table. */
export function catalogArns(model: PlanModel, database: string, table: string): string[] {
    const base = `arn:${model.partition}:glue:${model.region}:${model.accountId}`;
    return [`${base}:catalog`, `${base}:database/${database}`, `${base}:table/${database}/${table}`];
}

/** Requests on a catalog table, each checked on the catalog, the database and the table. */
export function catalogChecks(model: PlanModel, database: string, table: string, actions: string[]): AccessCheck[] {
    return actions.flatMap((action) => catalogArns(model, database, table).map((resource) => ({ action, resource })));
}

/** ARN of a log group (`arn:…:log-group:<name>`) and of a stream in it. */
export function logGroupArn(model: PlanModel, name: string, stream?: string): string {
    const group = `arn:${model.partition}:logs:${model.region}:${model.accountId}:log-group:${name}`;
    return stream === undefined ? group : `${group}:log-stream:${stream}`;
}

/** The account of an ARN, or the plan's. */
export function accountOf(model: PlanModel, arn: string): string {
    return parseArn(arn)?.account || model.accountId;
}

/** The static part of an S3 prefix, up to its first expression (`!{...}`). */
export function staticPrefix(prefix: string): string {
    const expression = prefix.indexOf("!{");
    const head = expression < 0 ? prefix : prefix.slice(0, expression);
    return head.slice(0, head.lastIndexOf("/") + 1);
}
