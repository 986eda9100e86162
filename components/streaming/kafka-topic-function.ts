import * as fs from "node:fs";
import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createVpcFunction, type VpcFunctionSettings } from "../shared/vpc-function";
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

/**
 * Arguments of {@link KafkaTopicFunction}: where the function runs (the private subnets, next to
 * the cluster's endpoints) and what it is kept with, as for any platform function, and the cluster
 * whose topics it creates.
 */
export interface KafkaTopicFunctionArgs extends VpcFunctionSettings {
    /** The MSK Serverless cluster whose topics the function creates. */
    clusterArn: pulumi.Input<string>;
    /** The cluster's IAM bootstrap brokers (`host:9098`). */
    bootstrapBrokers: pulumi.Input<string>;
    /** Topics the function may create and alter; its role reaches no others. */
    topicNames: string[];
    /**
     * Function timeout (seconds): creating topics waits for their partition leaders.
     * @default 300
     */
    timeoutSeconds?: number;
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
        const { clusterArn, bootstrapBrokers, topicNames, timeoutSeconds, ...settings } = args;
        const creator = createVpcFunction(
            name,
            {
                ...settings,
                description: "Creates the MSK Serverless cluster's topics (partitions, replication, retention) at deploy time",
                roleDescription: `Creates the topics of ${settings.functionName}'s MSK Serverless cluster`,
                securityGroupDescription: `${settings.functionName}: Kafka IAM and HTTPS inside the VPC only`,
                code: new pulumi.asset.AssetArchive({ "handler.js": new pulumi.asset.StringAsset(kafkaTopicsBundle()) }),
                environment: { CLUSTER_ARN: clusterArn, BOOTSTRAP_BROKERS: bootstrapBrokers },
                statements: [
                    // What creating, growing and configuring a topic needs over IAM access control
                    // (https://docs.aws.amazon.com/msk/latest/developerguide/kafka-actions.html).
                    { Sid: "ConnectToCluster", Effect: "Allow", Action: ["kafka-cluster:Connect"], Resource: clusterArn },
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
                        Resource: topicNames.map((topic) => kafkaResourceArn(clusterArn, "topic", topic)),
                    },
                ],
                timeoutSeconds: timeoutSeconds ?? 300,
            },
            child,
        );
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-brokers`,
            { securityGroupId: creator.securityGroup.id, description: "Kafka IAM/TLS to the cluster's endpoints", ipProtocol: "tcp", fromPort: MSK_IAM_TLS_PORT, toPort: MSK_IAM_TLS_PORT, cidrIpv4: settings.network.vpcCidr },
            child,
        );

        this.functionName = creator.fn.name;
        this.functionArn = creator.fn.arn;
        this.registerOutputs({ functionName: this.functionName, functionArn: this.functionArn });
    }
}
