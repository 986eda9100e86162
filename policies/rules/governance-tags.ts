import { EXEMPTION_TAG_PREFIX, exemptionsOf } from "../lib/exemptions";
import { ownTags, providerDefaultTags } from "../lib/props";
import { POLICY_NAMES, resourceRule } from "../lib/rule";

/** Resource types of the data platform that accept tags. */
export const TAGGABLE_TYPES = [
    "aws:s3/bucket:Bucket",
    "aws:kms/key:Key",
    "aws:ec2/vpc:Vpc",
    "aws:ec2/subnet:Subnet",
    "aws:ec2/routeTable:RouteTable",
    "aws:ec2/internetGateway:InternetGateway",
    "aws:ec2/natGateway:NatGateway",
    "aws:ec2/eip:Eip",
    "aws:ec2/securityGroup:SecurityGroup",
    "aws:ec2/vpcEndpoint:VpcEndpoint",
    "aws:ec2/flowLog:FlowLog",
    "aws:cloudwatch/logGroup:LogGroup",
    "aws:cloudwatch/metricAlarm:MetricAlarm",
    "aws:cloudwatch/eventRule:EventRule",
    "aws:iam/role:Role",
    "aws:kinesis/stream:Stream",
    "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
    "aws:msk/cluster:Cluster",
    "aws:msk/serverlessCluster:ServerlessCluster",
    "aws:glue/catalogDatabase:CatalogDatabase",
    "aws:glue/job:Job",
    "aws:glue/crawler:Crawler",
    "aws:glue/connection:Connection",
    "aws:glue/dataQualityRuleset:DataQualityRuleset",
    "aws:redshift/cluster:Cluster",
    "aws:redshift/subnetGroup:SubnetGroup",
    "aws:redshift/parameterGroup:ParameterGroup",
    "aws:redshiftserverless/namespace:Namespace",
    "aws:redshiftserverless/workgroup:Workgroup",
    "aws:sfn/stateMachine:StateMachine",
    "aws:sqs/queue:Queue",
    "aws:sns/topic:Topic",
    "aws:cloudtrail/trail:Trail",
    "aws:secretsmanager/secret:Secret",
    "aws:dynamodb/table:Table",
    "aws:lambda/function:Function",
];

/** Types holding data or keys: deleting them loses data. */
export const STATEFUL_TYPES = [
    "aws:s3/bucket:Bucket",
    "aws:kms/key:Key",
    "aws:kinesis/stream:Stream",
    "aws:msk/cluster:Cluster",
    "aws:redshift/cluster:Cluster",
    "aws:redshiftserverless/namespace:Namespace",
    "aws:glue/catalogDatabase:CatalogDatabase",
    // A table's definition (and a topic's retained records) go with it: a replace or delete loses them.
    "aws:glue/catalogTable:CatalogTable",
    "aws:msk/topic:Topic",
    "aws:cloudwatch/logGroup:LogGroup",
    "aws:dynamodb/table:Table",
    "aws:rds/cluster:Cluster",
    "aws:rds/instance:Instance",
];

export const governancePolicies = [
    resourceRule({
        name: "required-tags",
        family: "TAG",
        severity: "low",
        description: "Every taggable resource carries the required tags, directly or through its provider's default tags; buckets also carry their data-zone.",
        remediation: "Set the tags in lakehouse:tags (the provider applies them as default tags) and data-zone on buckets.",
        refs: { isNew: true },
        params: {
            tags: { type: "array", items: { type: "string" }, description: "tag keys every taggable resource needs", default: ["environment", "owner", "team", "cost-centre", "managed-by"] },
            bucketTags: { type: "array", items: { type: "string" }, description: "further tag keys buckets need", default: ["data-zone"] },
        },
        types: TAGGABLE_TYPES,
        check: ({ type, props, providerProps }, params) => {
            const tags = { ...providerDefaultTags(providerProps), ...ownTags(props) };
            const required = [...(params.tags as string[]), ...(type === "aws:s3/bucket:Bucket" ? (params.bucketTags as string[]) : [])];
            const missing = required.filter((k) => !tags[k]);
            return missing.length ? `missing tags: ${missing.join(", ")}` : undefined;
        },
    }),
    resourceRule({
        name: "stateful-resources-protected",
        family: "DP",
        severity: "high",
        description: "Stateful resources (buckets, keys, streams, clusters, topics, catalog databases and tables, log groups) carry Pulumi's protect option.",
        remediation: "Set lakehouse:protection.protect true for the environment (it sets protect on every stateful resource).",
        refs: { isNew: true },
        params: { types: { type: "array", items: { type: "string" }, description: "resource types judged stateful", default: STATEFUL_TYPES } },
        types: STATEFUL_TYPES,
        check: ({ type, opts }, params) => ((params.types as string[]).includes(type) && !opts.protect ? "stateful resource is not protected" : undefined),
    }),
    resourceRule({
        name: "policy-exemptions-valid",
        family: "ACC",
        severity: "high",
        description: `Exemption tags (${EXEMPTION_TAG_PREFIX}<policy> = "until=YYYY-MM-DD reason=<why>") name a policy, give a reason and have not expired.`,
        remediation: "Fix the tag value, renew it with a new date and reason, or remove the exemption and fix the resource.",
        refs: { isNew: true },
        types: TAGGABLE_TYPES,
        check: ({ props }) =>
            exemptionsOf(ownTags(props), POLICY_NAMES)
                .filter((e) => e.problem)
                .map((e) => `exemption from ${e.policy} ${e.problem}`),
    }),
    resourceRule({
        name: "policy-exemptions-in-force",
        family: "ACC",
        severity: "low",
        description: "Reports every exemption in force, so none is silent.",
        remediation: "Review the exemption before its date; remove it once the resource complies.",
        refs: { isNew: true },
        types: TAGGABLE_TYPES,
        check: ({ props }) =>
            exemptionsOf(ownTags(props), POLICY_NAMES)
                .filter((e) => !e.problem)
                .map((e) => `exempt from ${e.policy} until ${e.until}: ${e.reason}${e.deprecated ? ` (the tag uses a retired name: ${e.deprecated})` : ""}`),
    }),
];
