import * as pulumi from "@pulumi/pulumi";
import type { AccountContext } from "./naming";
import type { PolicyStatement } from "./policy-document";

/**
 * What every Glue role (jobs and crawlers) needs to run in the VPC under Lake Formation and to
 * write its logs: ENI management (AWS supports no resource-level scope for these actions), Lake
 * Formation's temporary data access, and its own log groups under `logGroupPattern`.
 */
export function glueRuntimeStatements(account: AccountContext, logGroupPattern: string, logSid: string): PolicyStatement[] {
    return [
        {
            Sid: logSid,
            Effect: "Allow",
            Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:AssociateKmsKey"],
            Resource: pulumi.interpolate`arn:${account.partition}:logs:${account.region}:${account.accountId}:log-group:${logGroupPattern}`,
        },
        {
            Sid: "RunInsideTheVpc",
            Effect: "Allow",
            Action: [
                "ec2:CreateNetworkInterface",
                "ec2:DeleteNetworkInterface",
                "ec2:DescribeNetworkInterfaces",
                "ec2:DescribeSubnets",
                "ec2:DescribeSecurityGroups",
                "ec2:DescribeVpcEndpoints",
                "ec2:DescribeRouteTables",
                "ec2:DescribeVpcAttribute",
                "ec2:CreateTags",
            ],
            Resource: "*",
        },
        { Sid: "LakeFormationDataAccess", Effect: "Allow", Action: ["lakeformation:GetDataAccess"], Resource: "*" },
    ];
}
