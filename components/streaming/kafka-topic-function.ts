import * as fs from "node:fs";
import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createEncryptedLogGroup } from "../shared/log-group";
import type { AccountContext } from "../shared/naming";
import type { DataProtection } from "../shared/protection";
import { createServiceRole } from "../shared/service-role";
import { kafkaResourceArn } from "./kafka-arns";
import { MSK_IAM_TLS_PORT } from "./kafka-security-group";

const CODE_DIRECTORY = path.join(__dirname, "functions", "kafka-topics");
/** The repository (or built package) root: bundle paths are written relative to it. */
const ROOT = path.resolve(__dirname, "..", "..");

let bundle: string | undefined;

/**
 * The handler and its Kafka client and MSK IAM signer as one CommonJS file. Unlike the ingestion
 * validator, whose only dependency (the AWS SDK) the Node.js runtime provides, this function needs
 * npm packages the runtime lacks, so they are bundled here with esbuild from the installed
 * node_modules, when the program runs: nothing is downloaded at deploy time, and the same sources
 * give the same bytes (paths relative to the root, no timestamps), so an unchanged function is not
 * redeployed.
 */
export function kafkaTopicsBundle(): string {
    if (bundle === undefined) {
        const esbuild: typeof import("esbuild") = require("esbuild");
        const source = path.join(CODE_DIRECTORY, "handler.ts");
        const result = esbuild.buildSync({
            entryPoints: [fs.existsSync(source) ? source : path.join(CODE_DIRECTORY, "handler.js")],
            absWorkingDir: ROOT,
            bundle: true,
            platform: "node",
            target: "node22",
            format: "cjs",
            write: false,
            logLevel: "silent",
        });
        bundle = result.outputFiles[0].text;
    }
    return bundle;
}

/** Arguments of {@link KafkaTopicFunction}. */
export interface KafkaTopicFunctionArgs {
    /** Function name, also its log group's (`/aws/lambda/<name>`). */
    functionName: string;
    /** The MSK Serverless cluster whose topics the function creates. */
    clusterArn: pulumi.Input<string>;
    /** The cluster's IAM bootstrap brokers (`host:9098`). */
    bootstrapBrokers: pulumi.Input<string>;
    /** Topics the function may create and alter; its role reaches no others. */
    topicNames: string[];
    /** Private subnets and the VPC the function runs in, next to the cluster's endpoints. */
    network: { vpcId: pulumi.Input<string>; vpcCidr: string; subnetIds: pulumi.Input<pulumi.Input<string>[]> };
    /** Customer-managed key of the function's environment variables and log group (the operations key). */
    operationsKeyArn: pulumi.Input<string>;
    /** Retention of the function's log group. */
    logRetentionDays: number;
    /**
     * Concurrency reserved for the function. Opt-in: Lambda keeps 100 of the account's quota
     * unreserved, and a new account's quota may be 10.
     * @default none (the function draws on the account's unreserved pool)
     */
    reservedConcurrency?: number;
    /**
     * Function timeout (seconds): creating topics waits for their partition leaders.
     * @default 300
     */
    timeoutSeconds?: number;
    /** Account, partition and Region the role's ARNs are written for. */
    account: AccountContext;
    /** Protection of the log group. */
    protection: DataProtection;
}

/**
 * A VPC Lambda function (TypeScript in `functions/kafka-topics/`, KafkaJS with AWS's MSK IAM
 * signer) that creates an MSK Serverless cluster's topics, idempotently. Its security group reaches
 * the brokers' IAM port and HTTPS endpoints inside the VPC only; its role may connect to the one
 * cluster and create, describe and alter the named topics only; its environment and log group are
 * encrypted with the operations key, and X-Ray traces it.
 */
export class KafkaTopicFunction extends pulumi.ComponentResource {
    /** The function's name. */
    public readonly functionName: pulumi.Output<string>;
    /** Its ARN. */
    public readonly functionArn: pulumi.Output<string>;

    constructor(name: string, args: KafkaTopicFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lakehouse:streaming:KafkaTopicFunction", name, {}, opts);
        const child = { parent: this };
        const { account, network } = args;
        const logGroup = createEncryptedLogGroup(
            name,
            { logGroupName: `/aws/lambda/${args.functionName}`, kmsKeyArn: args.operationsKeyArn, retentionDays: args.logRetentionDays, protection: args.protection },
            child,
        );

        const securityGroup = new aws.ec2.SecurityGroup(name, { vpcId: network.vpcId, description: `${args.functionName}: Kafka IAM and HTTPS inside the VPC only`, tags: { Name: name } }, child);
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-brokers`,
            { securityGroupId: securityGroup.id, description: "Kafka IAM/TLS to the cluster's endpoints", ipProtocol: "tcp", fromPort: MSK_IAM_TLS_PORT, toPort: MSK_IAM_TLS_PORT, cidrIpv4: network.vpcCidr },
            child,
        );
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-endpoints`,
            { securityGroupId: securityGroup.id, description: "HTTPS to interface endpoints", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: network.vpcCidr },
            child,
        );

        const topicArns = args.topicNames.map((topic) => kafkaResourceArn(args.clusterArn, "topic", topic));
        const role = createServiceRole(
            name,
            {
                description: `Creates the topics of ${args.functionName}'s MSK Serverless cluster`,
                service: "lambda.amazonaws.com",
                account,
                statements: [
                    // What creating, growing and configuring a topic needs over IAM access control
                    // (https://docs.aws.amazon.com/msk/latest/developerguide/kafka-actions.html).
                    { Sid: "ConnectToCluster", Effect: "Allow", Action: ["kafka-cluster:Connect"], Resource: args.clusterArn },
                    {
                        Sid: "ManageTopics",
                        Effect: "Allow",
                        Action: [
                            "kafka-cluster:CreateTopic",
                            "kafka-cluster:DescribeTopic",
                            "kafka-cluster:AlterTopic",
                            "kafka-cluster:DescribeTopicDynamicConfiguration",
                            "kafka-cluster:AlterTopicDynamicConfiguration",
                        ],
                        Resource: topicArns,
                    },
                    // Lambda decrypts the environment with the execution role at start-up (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html).
                    {
                        Sid: "DecryptEnvironment",
                        Effect: "Allow",
                        Action: ["kms:Decrypt"],
                        Resource: args.operationsKeyArn,
                        Condition: { StringEquals: { "kms:ViaService": `lambda.${account.region}.amazonaws.com` } },
                    },
                    { Sid: "WriteLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: pulumi.interpolate`${logGroup.arn}:*` },
                    { Sid: "Tracing", Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: "*" },
                    // A function in a VPC manages its network interfaces; EC2 offers no resource-level scoping for these.
                    {
                        Sid: "VpcNetworkInterfaces",
                        Effect: "Allow",
                        Action: ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"],
                        Resource: "*",
                    },
                ],
            },
            child,
        );

        const fn = new aws.lambda.Function(
            name,
            {
                name: args.functionName,
                description: "Creates the MSK Serverless cluster's topics (partitions, replication, retention) at deploy time",
                runtime: aws.lambda.Runtime.NodeJS22dX,
                architectures: ["arm64"],
                handler: "handler.handler",
                code: new pulumi.asset.AssetArchive({ "handler.js": new pulumi.asset.StringAsset(kafkaTopicsBundle()) }),
                role: role.arn,
                memorySize: 256,
                timeout: args.timeoutSeconds ?? 300,
                ...(args.reservedConcurrency !== undefined ? { reservedConcurrentExecutions: args.reservedConcurrency } : {}),
                environment: { variables: { CLUSTER_ARN: args.clusterArn, BOOTSTRAP_BROKERS: args.bootstrapBrokers } },
                kmsKeyArn: args.operationsKeyArn,
                tracingConfig: { mode: "Active" },
                loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
                vpcConfig: { subnetIds: network.subnetIds, securityGroupIds: [securityGroup.id] },
            },
            { ...child, dependsOn: [logGroup] },
        );

        this.functionName = fn.name;
        this.functionArn = fn.arn;
        this.registerOutputs({ functionName: this.functionName, functionArn: this.functionArn });
    }
}
