import * as pulumi from "@pulumi/pulumi";

export { lakeBucketName, namePrefix, PROJECT } from "../../lib/naming";

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

/** ARN prefix of the account's Glue Data Catalog, `arn:<partition>:glue:<region>:<account>`. */
export function glueCatalogArn(account: AccountContext): pulumi.Output<string> {
    return pulumi.interpolate`arn:${account.partition}:glue:${account.region}:${account.accountId}`;
}
