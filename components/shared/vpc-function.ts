import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createEncryptedLogGroup } from "./log-group";
import type { AccountContext } from "./naming";
import type { PolicyStatement } from "./policy-document";
import type { DataProtection } from "./protection";
import { createServiceRole, type ServiceRoleResources } from "./service-role";

/** Where a platform function runs and what it is kept with: what a component that creates one passes on. */
export interface VpcFunctionSettings {
    /** Function name, also its log group's (`/aws/lambda/<name>`). */
    functionName: string;
    /** Private subnets and the VPC the function runs in. */
    network: { vpcId: pulumi.Input<string>; vpcCidr: string; subnetIds: pulumi.Input<pulumi.Input<string>[]> };
    /** Customer-managed key of the environment and the log group (the operations key). */
    operationsKeyArn: pulumi.Input<string>;
    /** Retention of the log group. */
    logRetentionDays: number;
    /**
     * Concurrency reserved for the function. Opt-in: Lambda keeps 100 of the account's quota
     * unreserved, and a new account's quota may be 10.
     * @default none (the function draws on the account's unreserved pool)
     */
    reservedConcurrency?: number;
    /** Account, partition and Region the role's ARNs are written for. */
    account: AccountContext;
    /** Protection of the log group. */
    protection: DataProtection;
}

/** Settings of a platform Lambda function that runs in the VPC. */
export interface VpcFunctionArgs extends VpcFunctionSettings {
    /** What the function does, shown in the console. */
    description: string;
    /** What its role is for, shown in the console. */
    roleDescription: string;
    /** Description of its security group. */
    securityGroupDescription: string;
    /** The deployment archive; its entry point is `handler.handler`. */
    code: pulumi.Input<pulumi.asset.Archive>;
    /** Environment variables, encrypted with the operations key. */
    environment: Record<string, pulumi.Input<string>>;
    /** What the handler itself calls: named actions on named resources. */
    statements: PolicyStatement[];
    /**
     * Fixed name of the execution role, for a role other settings name (a Lake Formation
     * administrator) or tools must find.
     * @default auto-named
     */
    roleName?: string;
    /**
     * Memory (MB).
     * @default 256
     */
    memoryMb?: number;
    /** Timeout (seconds). */
    timeoutSeconds: number;
}

/** The resources of a VPC function; everything an invocation of it must wait for. */
export interface VpcFunctionResources {
    /** The function. */
    fn: aws.lambda.Function;
    /** Its execution role and the role's inline policy. */
    role: ServiceRoleResources;
    /** Its log group, `/aws/lambda/<name>`. */
    logGroup: aws.cloudwatch.LogGroup;
    /** Its security group, which admits nothing; callers add any egress beyond the endpoints'. */
    securityGroup: aws.ec2.SecurityGroup;
    /** The group's HTTPS egress to the interface endpoints, `<name>-endpoints`. */
    endpointsEgress: aws.vpc.SecurityGroupEgressRule;
}

/**
 * What every VPC function's role needs besides the handler's own calls: Lambda decrypts the
 * environment with the execution role at start-up
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html), the
 * function writes its log group and X-Ray segments, and manages its network interfaces, for which
 * EC2 offers no resource-level scoping.
 */
export function vpcFunctionRuntimeStatements(operationsKeyArn: pulumi.Input<string>, logGroupArn: pulumi.Input<string>, region: string): PolicyStatement[] {
    return [
        {
            Sid: "DecryptEnvironment",
            Effect: "Allow",
            Action: ["kms:Decrypt"],
            Resource: operationsKeyArn,
            Condition: { StringEquals: { "kms:ViaService": `lambda.${region}.amazonaws.com` } },
        },
        { Sid: "WriteLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: pulumi.interpolate`${logGroupArn}:*` },
        { Sid: "Tracing", Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: "*" },
        {
            Sid: "VpcNetworkInterfaces",
            Effect: "Allow",
            Action: ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"],
            Resource: "*",
        },
    ];
}

/**
 * A Node.js 22 (arm64) Lambda function in the VPC's private subnets, as the policy pack wants every
 * platform function: its own security group, which admits nothing and lets HTTPS out to the
 * interface endpoints inside the VPC only (callers add any other egress), a role of named actions
 * plus {@link vpcFunctionRuntimeStatements}, the environment encrypted with the operations key,
 * X-Ray active tracing and JSON logs in an encrypted log group with the environment's retention.
 */
export function createVpcFunction(name: string, args: VpcFunctionArgs, opts: pulumi.CustomResourceOptions): VpcFunctionResources {
    const logGroup = createEncryptedLogGroup(
        name,
        { logGroupName: `/aws/lambda/${args.functionName}`, kmsKeyArn: args.operationsKeyArn, retentionDays: args.logRetentionDays, protection: args.protection },
        opts,
    );
    const securityGroup = new aws.ec2.SecurityGroup(name, { vpcId: args.network.vpcId, description: args.securityGroupDescription, tags: { Name: name } }, opts);
    const endpointsEgress = new aws.vpc.SecurityGroupEgressRule(
        `${name}-endpoints`,
        { securityGroupId: securityGroup.id, description: "HTTPS to interface endpoints", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: args.network.vpcCidr },
        opts,
    );
    const role = createServiceRole(
        name,
        {
            ...(args.roleName ? { roleName: args.roleName } : {}),
            description: args.roleDescription,
            service: "lambda.amazonaws.com",
            account: args.account,
            statements: [...args.statements, ...vpcFunctionRuntimeStatements(args.operationsKeyArn, logGroup.arn, args.account.region)],
        },
        opts,
    );
    const fn = new aws.lambda.Function(
        name,
        {
            name: args.functionName,
            description: args.description,
            runtime: aws.lambda.Runtime.NodeJS22dX,
            architectures: ["arm64"],
            handler: "handler.handler",
            code: args.code,
            role: role.arn,
            memorySize: args.memoryMb ?? 256,
            timeout: args.timeoutSeconds,
            ...(args.reservedConcurrency !== undefined ? { reservedConcurrentExecutions: args.reservedConcurrency } : {}),
            environment: { variables: args.environment },
            kmsKeyArn: args.operationsKeyArn,
            tracingConfig: { mode: "Active" },
            loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
            vpcConfig: { subnetIds: args.network.subnetIds, securityGroupIds: [securityGroup.id] },
        },
        { ...opts, dependsOn: [logGroup] },
    );
    return { fn, role, logGroup, securityGroup, endpointsEgress };
}
