import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { type DataProtection, statefulOptions } from "./protection";

/** Settings of a platform log group. */
export interface EncryptedLogGroupArgs {
    /** Full log group name, e.g. `/lakehouse/prod/vpc-flow-logs`. */
    logGroupName: string;
    /** ARN of the customer-managed key that encrypts the log events. */
    kmsKeyArn: pulumi.Input<string>;
    /** Days to keep events; one of CloudWatch's allowed values (checked by the config schema). */
    retentionDays: number;
    /** Protection of the log data. */
    protection: DataProtection;
}

/**
 * Every platform log group is created through here, so none can exist unencrypted or kept forever.
 */
export function createEncryptedLogGroup(
    name: string,
    args: EncryptedLogGroupArgs,
    opts: pulumi.CustomResourceOptions,
): aws.cloudwatch.LogGroup {
    return new aws.cloudwatch.LogGroup(
        name,
        {
            name: args.logGroupName,
            kmsKeyId: args.kmsKeyArn,
            retentionInDays: args.retentionDays,
        },
        { ...opts, ...statefulOptions(args.protection) },
    );
}
