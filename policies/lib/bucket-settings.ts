/**
 * A bucket's settings in every shape @pulumi/aws 7 accepts: the companion resources
 * (`aws.s3.BucketVersioning`, `…ServerSideEncryptionConfiguration`, `…Logging`,
 * `…LifecycleConfiguration`, `…Policy`, with their deprecated V2 aliases) and the inline blocks on
 * the bucket itself (`versioning`, `serverSideEncryptionConfiguration`, `logging`/`loggings`,
 * `lifecycleRules`, `policy`), deprecated but valid and common in other teams' programs. Each
 * reader turns one shape into the same record, so a rule judges both alike.
 */
import type { PolicyResource } from "@pulumi/policy";
import { asArray, isTrue } from "./props";
import type { StackIndex } from "./stack";

export const BUCKET_TYPES = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];

/** S3 companion types that @pulumi/aws 7 still accepts under a deprecated V2 name, and that name. */
const V2_ALIASES: Record<string, string> = {
    "aws:s3/bucketVersioning:BucketVersioning": "aws:s3/bucketVersioningV2:BucketVersioningV2",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    "aws:s3/bucketLogging:BucketLogging": "aws:s3/bucketLoggingV2:BucketLoggingV2",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
    "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration": "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2",
    "aws:s3/bucketAcl:BucketAcl": "aws:s3/bucketAclV2:BucketAclV2",
};

/** A companion type and, where it has one, its deprecated V2 name. */
export function withV2Alias(type: string): string[] {
    return V2_ALIASES[type] ? [type, V2_ALIASES[type]] : [type];
}

export const COMPANION = {
    versioning: withV2Alias("aws:s3/bucketVersioning:BucketVersioning"),
    encryption: withV2Alias("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"),
    logging: withV2Alias("aws:s3/bucketLogging:BucketLogging"),
    lifecycle: withV2Alias("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"),
    policy: withV2Alias("aws:s3/bucketPolicy:BucketPolicy"),
};

/** Where a setting came from: the bucket's inline block, or a companion resource. */
export interface Origin {
    shape: "inline" | "companion";
    resource: PolicyResource | { name: string; type: string; props: Record<string, any> };
}

export interface VersioningSetting {
    /** `Enabled`, `Suspended`, `Disabled`, or undefined when the block does not say. */
    status: string | undefined;
}
export interface EncryptionSetting {
    algorithm: string | undefined;
    kmsKeyId: string | undefined;
    bucketKey: boolean;
}
export interface LoggingSetting {
    targetBucket: string | undefined;
}
export interface LifecycleRuleSetting {
    enabled: boolean;
    transitions: { days?: number; storageClass?: string }[];
    expirationDays?: number;
    noncurrentDays?: number;
    abortDays?: number;
}

const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v)) ? Number(v) : undefined);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const obj = (v: unknown): Record<string, any> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, any>) : {});

/** Inline `versioning { enabled }` of a bucket: Enabled, Suspended, or undefined without a block. */
export function inlineVersioning(props: Record<string, any>): VersioningSetting | undefined {
    if (!props.versioning || typeof props.versioning !== "object") return undefined;
    const enabled = props.versioning.enabled;
    return { status: enabled === undefined || enabled === null ? undefined : isTrue(enabled) ? "Enabled" : "Suspended" };
}
/** `aws.s3.BucketVersioning`'s `versioningConfiguration.status`. */
export function companionVersioning(props: Record<string, any>): VersioningSetting {
    return { status: str(obj(props.versioningConfiguration).status) };
}

/** Inline `serverSideEncryptionConfiguration { rule }` of a bucket, or undefined without a block. */
export function inlineEncryption(props: Record<string, any>): EncryptionSetting | undefined {
    if (!props.serverSideEncryptionConfiguration || typeof props.serverSideEncryptionConfiguration !== "object") return undefined;
    const rule = obj(asArray(props.serverSideEncryptionConfiguration.rule ?? props.serverSideEncryptionConfiguration.rules)[0]);
    return encryptionOf(rule);
}
/** `aws.s3.BucketServerSideEncryptionConfiguration`'s first rule. */
export function companionEncryption(props: Record<string, any>): EncryptionSetting {
    return encryptionOf(obj(asArray(props.rules)[0]));
}
function encryptionOf(rule: Record<string, any>): EncryptionSetting {
    const byDefault = obj(rule.applyServerSideEncryptionByDefault);
    return { algorithm: str(byDefault.sseAlgorithm), kmsKeyId: str(byDefault.kmsMasterKeyId), bucketKey: isTrue(rule.bucketKeyEnabled) };
}

/** Inline `logging` (or the older `loggings` list) of a bucket. */
export function inlineLogging(props: Record<string, any>): LoggingSetting[] {
    return [...asArray(props.logging), ...asArray(props.loggings)].filter((l) => typeof l === "object").map((l: any) => ({ targetBucket: str(l.targetBucket) }));
}

/** Inline `lifecycleRules` of a bucket, normalised. */
export function inlineLifecycle(props: Record<string, any>): LifecycleRuleSetting[] {
    return asArray(props.lifecycleRules)
        .filter((r) => typeof r === "object")
        .map((r: any) => ({
            enabled: isTrue(r.enabled),
            transitions: asArray(r.transitions).map((t: any) => ({ days: num(t?.days), storageClass: str(t?.storageClass) })),
            expirationDays: num(obj(r.expiration).days),
            noncurrentDays: num(obj(r.noncurrentVersionExpiration).days),
            abortDays: num(r.abortIncompleteMultipartUploadDays),
        }));
}
/** `aws.s3.BucketLifecycleConfiguration`'s rules, normalised. */
export function companionLifecycle(props: Record<string, any>): LifecycleRuleSetting[] {
    return asArray(props.rules)
        .filter((r) => typeof r === "object")
        .map((r: any) => ({
            enabled: r.status === "Enabled",
            transitions: asArray(r.transitions).map((t: any) => ({ days: num(t?.days), storageClass: str(t?.storageClass) })),
            expirationDays: num(obj(r.expiration).days),
            noncurrentDays: num(obj(r.noncurrentVersionExpiration).noncurrentDays),
            abortDays: num(obj(r.abortIncompleteMultipartUpload).daysAfterInitiation),
        }));
}

/** Companion resources of one kind attached to a bucket (by property dependency or name). */
export function companionsOf(index: StackIndex, bucket: PolicyResource, types: readonly string[]): PolicyResource[] {
    return types.flatMap((t) => index.attached(bucket, t, "bucket", [bucket.props.bucket, bucket.props.id]));
}

/** Every shape of one setting of a bucket, each with where it came from. */
export function settingsOf<T>(
    index: StackIndex,
    bucket: PolicyResource,
    types: readonly string[],
    inline: (props: Record<string, any>) => T | T[] | undefined,
    companion: (props: Record<string, any>) => T | T[],
): { value: T; origin: Origin }[] {
    const out: { value: T; origin: Origin }[] = [];
    for (const value of asArray(inline(bucket.props))) out.push({ value, origin: { shape: "inline", resource: bucket } });
    for (const resource of companionsOf(index, bucket, types)) for (const value of asArray(companion(resource.props))) out.push({ value, origin: { shape: "companion", resource } });
    return out;
}

/** How a setting's origin is named in a message. */
export function describe(origin: Origin): string {
    return origin.shape === "inline" ? "the inline block" : `${origin.resource.type.split(":").pop()} ${origin.resource.name}`;
}
