/**
 * Physical names of the platform, defined once: the components create resources with them, and
 * the cost usage model, the drift audit and the CLI find those resources by them.
 */

/** Project name used as the first part of every physical name. */
export const PROJECT = "lakehouse";

/** `lakehouse-<environment>`: the prefix of logical and physical names in one environment. */
export function namePrefix(environment: string): string {
    return `${PROJECT}-${environment}`;
}

/** Globally unique name of a lake bucket: `<prefix>-<zone>-<account>-<region>` (at most 63 characters). */
export function lakeBucketName(prefix: string, zone: string, accountId: string, region: string): string {
    return `${prefix}-${zone}-${accountId}-${region}`;
}

/** Name of a Kinesis domain's data stream, `<prefix>-<domain>`. */
export function kinesisStreamName(prefix: string, domain: string): string {
    return `${prefix}-${domain}`;
}

/** Name of the Firehose delivery stream that lands a domain in the raw zone, `<prefix>-<domain>-to-raw`. */
export function rawDeliveryStreamName(prefix: string, domain: string): string {
    return `${prefix}-${domain}-to-raw`;
}

/** `/lakehouse/<env>`: the root of the platform's own log groups. */
export function logGroupRoot(prefix: string): string {
    return `/${prefix.replace("-", "/")}`;
}
