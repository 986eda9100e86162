import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PENDING_LOAD_ATTRIBUTE, PENDING_LOAD_INDEX, STATE_TTL_ATTRIBUTE } from "../../lib/pipeline-state";
import { type DataProtection, statefulOptions } from "../shared/protection";

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
 * The pipeline's state in DynamoDB (layout in `lib/pipeline-state.ts`): per domain, the watermark
 * of the last load (`pk` = `watermark#<domain>`) and one record per run (`pk` = `run#<domain>`,
 * `sk` = `<start time>#<Glue run id>`) with its status, row, quarantine and file counts. Runs whose
 * output waits for the warehouse are also in a sparse index, oldest first. On demand, encrypted with
 * the operations key, with point-in-time recovery; run records expire through TTL, watermarks never do.
 */
export class PipelineState extends pulumi.ComponentResource {
    /** Table name. */
    public readonly tableName: pulumi.Output<string>;
    /** Table ARN. */
    public readonly tableArn: pulumi.Output<string>;
    /** ARN of the index of runs waiting for the load. */
    public readonly pendingLoadIndexArn: pulumi.Output<string>;

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
                    { name: PENDING_LOAD_ATTRIBUTE, type: "S" },
                ],
                // Keys only would force a GetItem per run; the records are small, so project them all.
                globalSecondaryIndexes: [
                    {
                        name: PENDING_LOAD_INDEX,
                        keySchemas: [
                            { attributeName: PENDING_LOAD_ATTRIBUTE, keyType: "HASH" },
                            { attributeName: "sk", keyType: "RANGE" },
                        ],
                        projectionType: "ALL",
                    },
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
        this.pendingLoadIndexArn = pulumi.interpolate`${table.arn}/index/${PENDING_LOAD_INDEX}`;
        this.registerOutputs({ tableName: this.tableName, tableArn: this.tableArn });
    }
}
