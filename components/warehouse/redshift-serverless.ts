import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { statefulOptions } from "../shared/protection";
import { createWarehouseBase, REDSHIFT_LOG_EXPORTS, REDSHIFT_PORT, type WarehouseCommonArgs } from "./warehouse-access";

/** Arguments of {@link RedshiftServerlessWarehouse}. */
export interface RedshiftServerlessWarehouseArgs extends WarehouseCommonArgs {
    /** Namespace and workgroup name. */
    name: string;
    /** Base capacity in RPUs (8-512, multiples of 8). */
    baseCapacityRpu: number;
}

/**
 * Redshift Serverless: a namespace encrypted with the warehouse key with a managed admin secret
 * and logs exported to CloudWatch, and a private workgroup with enhanced VPC routing and TLS
 * required.
 */
export class RedshiftServerlessWarehouse extends pulumi.ComponentResource {
    public readonly workgroupName: pulumi.Output<string>;
    public readonly workgroupArn: pulumi.Output<string>;
    public readonly namespaceArn: pulumi.Output<string>;
    public readonly endpoint: pulumi.Output<string>;
    public readonly adminSecretArn: pulumi.Output<string>;
    public readonly lakeRoleArn: pulumi.Output<string>;
    public readonly databaseName: string;

    constructor(name: string, args: RedshiftServerlessWarehouseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lakehouse:warehouse:RedshiftServerlessWarehouse", name, {}, opts);
        const child = { parent: this };
        const { lakeRole, securityGroup: sg, logGroups } = createWarehouseBase(name, { ...args, warehouseName: args.name }, child);

        const namespace = new aws.redshiftserverless.Namespace(
            name,
            {
                namespaceName: args.name,
                dbName: args.databaseName,
                adminUsername: args.adminUsername,
                manageAdminPassword: true,
                adminPasswordSecretKmsKeyId: args.kmsKeyArn,
                kmsKeyId: args.kmsKeyArn,
                iamRoles: [lakeRole.arn],
                defaultIamRoleArn: lakeRole.arn,
                logExports: REDSHIFT_LOG_EXPORTS,
            },
            { ...child, ...statefulOptions(args.protection), dependsOn: logGroups },
        );
        const workgroup = new aws.redshiftserverless.Workgroup(
            name,
            {
                workgroupName: args.name,
                namespaceName: namespace.namespaceName,
                baseCapacity: args.baseCapacityRpu,
                enhancedVpcRouting: true,
                publiclyAccessible: false,
                subnetIds: args.subnetIds,
                securityGroupIds: [sg.id],
                port: REDSHIFT_PORT,
                configParameters: [
                    { parameterKey: "require_ssl", parameterValue: "true" },
                    { parameterKey: "enable_user_activity_logging", parameterValue: "true" },
                ],
            },
            child,
        );

        this.workgroupName = workgroup.workgroupName;
        this.workgroupArn = workgroup.arn;
        this.namespaceArn = namespace.arn;
        this.endpoint = workgroup.endpoints.apply((e) => e?.[0]?.address ?? "");
        this.adminSecretArn = namespace.adminPasswordSecretArn;
        this.lakeRoleArn = lakeRole.arn;
        this.databaseName = args.databaseName;
        this.registerOutputs({ workgroupName: this.workgroupName, adminSecretArn: this.adminSecretArn });
    }
}
