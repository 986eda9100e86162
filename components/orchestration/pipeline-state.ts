import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type DataProtection, statefulOptions } from "../shared/protection";

/** Attribute holding an item's expiry (epoch seconds), for DynamoDB's TTL. */
export const STATE_TTL_ATTRIBUTE = "expiresAt";

/** Arguments of {@link PipelineState}. */
export interface PipelineStateArgs {
    /** Table name, e.g. `lakehouse-prod-pipeline-state`. */
    tableName: string;
    /** Customer-managed key of the table (the operations key). */
    kmsKeyArn: pulumi.Input<string>;
    /** Protection of the state (deletion protection and Pulumi's protect where the environment protects data). */
    protection: DataProtection;
}

/**
 * The pipeline's state in DynamoDB: per domain, the watermark of the last load (`pk` =
 * `watermark#<domain>`) and one record per run (`pk` = `run#<domain>`, `sk` = the Glue run id) with
 * its row, quarantine and load counts. On demand, encrypted with the operations key, with
 * point-in-time recovery; run records expire through TTL, watermarks never do.
 */
export class PipelineState extends pulumi.ComponentResource {
    /** Table name. */
    public readonly tableName: pulumi.Output<string>;
    /** Table ARN. */
    public readonly tableArn: pulumi.Output<string>;

    constructor(name: string, args: PipelineStateArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lakehouse:orchestration:PipelineState", name, {}, opts);
        const table = new aws.dynamodb.Table(
            name,
            {
                name: args.tableName,
                billingMode: "PAY_PER_REQUEST",
                hashKey: "pk",
                rangeKey: "sk",
                attributes: [
                    { name: "pk", type: "S" },
                    { name: "sk", type: "S" },
                ],
                serverSideEncryption: { enabled: true, kmsKeyArn: args.kmsKeyArn },
                pointInTimeRecovery: { enabled: true },
                ttl: { attributeName: STATE_TTL_ATTRIBUTE, enabled: true },
                deletionProtectionEnabled: args.protection.protect,
            },
            { parent: this, ...statefulOptions(args.protection) },
        );
        this.tableName = table.name;
        this.tableArn = table.arn;
        this.registerOutputs({ tableName: this.tableName, tableArn: this.tableArn });
    }
}
