import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createEncryptedLogGroup } from "../shared/log-group";
import type { AccountContext } from "../shared/naming";
import type { DataProtection } from "../shared/protection";
import { createServiceRole } from "../shared/service-role";

/** Arguments of {@link VpcFlowLogs}. */
export interface VpcFlowLogsArgs {
    /** VPC to record. */
    vpcId: pulumi.Input<string>;
    /** Log group name, e.g. `/lakehouse/prod/vpc-flow-logs`. */
    logGroupName: string;
    /** Customer-managed key of the log group (the operations key). */
    kmsKeyArn: pulumi.Input<string>;
    /** Retention of the flow log events in days (a CloudWatch retention value). */
    retentionDays: number;
    /**
     * Which traffic to record.
     * @default "ALL"
     */
    trafficType?: "ALL" | "ACCEPT" | "REJECT";
    /**
     * Aggregation interval in seconds; 60 gives near-real-time forensics at a higher log volume.
     * @default 600
     */
    maxAggregationInterval?: 60 | 600;
    /** Account the delivery role is scoped to. */
    account: AccountContext;
    /** Protection of the log data. */
    protection: DataProtection;
}

/**
 * VPC flow logs delivered to a KMS-encrypted CloudWatch log group with bounded retention, through
 * a role that only the flow-logs service of this account can assume and that may only write to
 * that log group.
 */
export class VpcFlowLogs extends pulumi.ComponentResource {
    /** The log group receiving the flow logs. */
    public readonly logGroupName: pulumi.Output<string>;
    /** The flow log id. */
    public readonly flowLogId: pulumi.Output<string>;

    constructor(name: string, args: VpcFlowLogsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lakehouse:network:VpcFlowLogs", name, {}, opts);
        const { account } = args;

        const logGroup = createEncryptedLogGroup(
            name,
            { logGroupName: args.logGroupName, kmsKeyArn: args.kmsKeyArn, retentionDays: args.retentionDays, protection: args.protection },
            { parent: this },
        );

        const role = createServiceRole(
            `${name}-delivery`,
            {
                description: "Delivers VPC flow logs to their log group",
                service: "vpc-flow-logs.amazonaws.com",
                account,
                sourceArn: pulumi.interpolate`arn:${account.partition}:ec2:${account.region}:${account.accountId}:vpc-flow-log/*`,
                statements: [
                    {
                        Sid: "WriteFlowLogsToOneLogGroup",
                        Effect: "Allow",
                        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                        Resource: [logGroup.arn, pulumi.interpolate`${logGroup.arn}:*`],
                    },
                ],
            },
            { parent: this },
        );

        const flowLog = new aws.ec2.FlowLog(
            name,
            {
                vpcId: args.vpcId,
                trafficType: args.trafficType ?? "ALL",
                logDestinationType: "cloud-watch-logs",
                logDestination: logGroup.arn,
                iamRoleArn: role.arn,
                maxAggregationInterval: args.maxAggregationInterval ?? 600,
                tags: { Name: name },
            },
            { parent: this },
        );

        this.logGroupName = logGroup.name;
        this.flowLogId = flowLog.id;
        this.registerOutputs({ logGroupName: this.logGroupName, flowLogId: this.flowLogId });
    }
}
