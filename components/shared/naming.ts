import * as pulumi from "@pulumi/pulumi";

/** Project name used as the first part of every physical name. */
export const PROJECT = "lakehouse";

/** `lakehouse-<environment>`: the prefix of logical and physical names in one environment. */
export function namePrefix(environment: string): string {
    return `${PROJECT}-${environment}`;
}

/**
 * The facts about the target account every component needs to write ARNs and globally unique
 * names. Resolved once from the provider (`getCallerIdentity`, `getPartition`).
 */
export interface AccountContext {
    /** 12-digit AWS account id. */
    accountId: pulumi.Input<string>;
    /** ARN partition: `aws`, `aws-cn` or `aws-us-gov`. */
    partition: pulumi.Input<string>;
    /** Region code, from the stack configuration. */
    region: string;
}

/** Globally unique name of a lake bucket: `<prefix>-<zone>-<account>-<region>` (at most 63 characters). */
export function lakeBucketName(namePrefix: string, zone: string, accountId: string, region: string): string {
    return `${namePrefix}-${zone}-${accountId}-${region}`;
}

/** ARN prefix of the account's Glue Data Catalog, `arn:<partition>:glue:<region>:<account>`. */
export function glueCatalogArn(account: AccountContext): pulumi.Output<string> {
    return pulumi.interpolate`arn:${account.partition}:glue:${account.region}:${account.accountId}`;
}
