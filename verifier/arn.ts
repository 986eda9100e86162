/** The parts of an ARN: `arn:<partition>:<service>:<region>:<account>:<resource>`. */
export interface ParsedArn {
    partition: string;
    service: string;
    region: string;
    account: string;
    resource: string;
}

/** Parses an ARN; undefined for anything else. */
export function parseArn(value: unknown): ParsedArn | undefined {
    if (typeof value !== "string" || !value.startsWith("arn:")) return undefined;
    const parts = value.split(":");
    if (parts.length < 6) return undefined;
    return { partition: parts[1], service: parts[2], region: parts[3], account: parts[4], resource: parts.slice(5).join(":") };
}

/** `s3://bucket/key` → bucket and key (key without a leading slash). */
export function parseS3Url(value: unknown): { bucket: string; key: string } | undefined {
    if (typeof value !== "string") return undefined;
    const match = /^s3a?:\/\/([^/]+)\/?(.*)$/.exec(value);
    return match ? { bucket: match[1], key: match[2] } : undefined;
}

/** The ARN of an S3 bucket or object. */
export function s3Arn(partition: string, bucket: string, key?: string): string {
    return key === undefined ? `arn:${partition}:s3:::${bucket}` : `arn:${partition}:s3:::${bucket}/${key}`;
}

/** Bucket name of an S3 bucket or object ARN. */
export function bucketOfArn(arn: string): string | undefined {
    const parsed = parseArn(arn);
    return parsed?.service === "s3" ? parsed.resource.split("/")[0] : undefined;
}
