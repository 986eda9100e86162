import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { statefulOptions } from "../shared/protection";
import { createWarehouseBase, REDSHIFT_LOG_EXPORTS, REDSHIFT_PORT, type WarehouseCommonArgs } from "./warehouse-access";

/** Arguments of {@link RedshiftCluster}. */
export interface RedshiftClusterArgs extends WarehouseCommonArgs {
    /** Cluster identifier. */
    clusterIdentifier: string;
    /** RA3 node type. */
    nodeType: string;
    /** Number of nodes (1 = single-node). */
    numberOfNodes: number;
    /**
     * Multi-AZ deployment (RA3 only): a standby compute in a second AZ.
     * @default false
     */
    multiAz?: boolean;
    /** Days automated snapshots are kept (1-35). */
    snapshotRetentionDays: number;
}

/**
 * A provisioned RA3 Redshift cluster: encrypted with the warehouse key, admin password generated
 * and rotated by Secrets Manager under that key, private in the isolated subnets, enhanced VPC
 * routing (COPY goes through the S3 endpoint), TLS required, user activity logging and audit logs
 * in encrypted CloudWatch log groups, snapshots retained, and a final snapshot on delete.
 */
export class RedshiftCluster extends pulumi.ComponentResource {
    public readonly clusterIdentifier: pulumi.Output<string>;
    public readonly arn: pulumi.Output<string>;
    public readonly endpoint: pulumi.Output<string>;
    /** ARN of the Secrets Manager secret holding the admin password (never its value). */
    public readonly adminSecretArn: pulumi.Output<string>;
    /** Role for COPY, UNLOAD and Spectrum. */
    public readonly lakeRoleArn: pulumi.Output<string>;
    public readonly databaseName: string;

    constructor(name: string, args: RedshiftClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lakehouse:warehouse:RedshiftCluster", name, {}, opts);
        const child = { parent: this };

        const { lakeRole, securityGroup: sg, logGroups } = createWarehouseBase(name, { ...args, warehouseName: args.clusterIdentifier }, child);
        const subnetGroup = new aws.redshift.SubnetGroup(name, { name: args.clusterIdentifier, subnetIds: args.subnetIds, description: "Isolated subnets of the warehouse" }, child);
        const parameters = new aws.redshift.ParameterGroup(
            name,
            {
                name: `${args.clusterIdentifier}-secure`,
                family: "redshift-2.0",
                description: "TLS required, user activity logged",
                parameters: [
                    { name: "require_ssl", value: "true" },
                    { name: "enable_user_activity_logging", value: "true" },
                    { name: "use_fips_ssl", value: "false" },
                ],
            },
            child,
        );
        const cluster = new aws.redshift.Cluster(
            name,
            {
                clusterIdentifier: args.clusterIdentifier,
                nodeType: args.nodeType,
                clusterType: args.numberOfNodes > 1 ? "multi-node" : "single-node",
                numberOfNodes: args.numberOfNodes,
                multiAz: args.multiAz ?? false,
                databaseName: args.databaseName,
                masterUsername: args.adminUsername,
                manageMasterPassword: true,
                masterPasswordSecretKmsKeyId: args.kmsKeyArn,
                encrypted: "true",
                kmsKeyId: args.kmsKeyArn,
                publiclyAccessible: false,
                enhancedVpcRouting: true,
                port: REDSHIFT_PORT,
                clusterSubnetGroupName: subnetGroup.name,
                vpcSecurityGroupIds: [sg.id],
                clusterParameterGroupName: parameters.name,
                iamRoles: [lakeRole.arn],
                defaultIamRoleArn: lakeRole.arn,
                automatedSnapshotRetentionPeriod: args.snapshotRetentionDays,
                allowVersionUpgrade: true,
                skipFinalSnapshot: false,
                finalSnapshotIdentifier: `${args.clusterIdentifier}-final`,
            },
            { ...child, ...statefulOptions(args.protection), dependsOn: logGroups },
        );
        new aws.redshift.Logging(name, { clusterIdentifier: cluster.clusterIdentifier, logDestinationType: "cloudwatch", logExports: REDSHIFT_LOG_EXPORTS }, { ...child, dependsOn: logGroups });

        this.clusterIdentifier = cluster.clusterIdentifier;
        this.arn = cluster.arn;
        this.endpoint = cluster.endpoint;
        this.adminSecretArn = cluster.masterPasswordSecretArn;
        this.lakeRoleArn = lakeRole.arn;
        this.databaseName = args.databaseName;
        this.registerOutputs({ endpoint: this.endpoint, adminSecretArn: this.adminSecretArn });
    }
}
