import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PolicyStatement } from "./policy-document";

/**
 * What every platform state machine's role needs besides its tasks: its data and the topics it
 * notifies are encrypted with the operations key; it delivers its logs through CloudWatch vended
 * logs (which need these account-level actions, https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html);
 * it sends X-Ray traces.
 */
export function stateMachineRuntimeStatements(operationsKeyArn: pulumi.Input<string>): PolicyStatement[] {
    return [
        { Sid: "UseOperationsKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: operationsKeyArn },
        {
            Sid: "VendedLogDelivery",
            Effect: "Allow",
            Action: ["logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups"],
            Resource: "*",
        },
        { Sid: "Tracing", Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"], Resource: "*" },
    ];
}

/** A platform state machine: its definition, role, log group and key. */
export interface ObservedStateMachineArgs {
    /** State machine name. */
    stateMachineName: string;
    /** Execution role. */
    roleArn: pulumi.Input<string>;
    /** Amazon States Language definition, as JSON text. */
    definition: pulumi.Input<string>;
    /** Log group every execution event is logged to. */
    logGroupArn: pulumi.Input<string>;
    /** Key encrypting the state machine's data. */
    operationsKeyArn: pulumi.Input<string>;
}

/**
 * Every platform state machine is created through here: standard type, all events logged with
 * their data, X-Ray tracing, data encrypted with the operations key.
 */
export function createObservedStateMachine(name: string, args: ObservedStateMachineArgs, opts: pulumi.CustomResourceOptions): aws.sfn.StateMachine {
    return new aws.sfn.StateMachine(
        name,
        {
            name: args.stateMachineName,
            type: "STANDARD",
            roleArn: args.roleArn,
            definition: args.definition,
            loggingConfiguration: { logDestination: pulumi.interpolate`${args.logGroupArn}:*`, includeExecutionData: true, level: "ALL" },
            tracingConfiguration: { enabled: true },
            encryptionConfiguration: { type: "CUSTOMER_MANAGED_KMS_KEY", kmsKeyId: args.operationsKeyArn, kmsDataKeyReusePeriodSeconds: 300 },
        },
        opts,
    );
}
