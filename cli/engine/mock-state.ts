import { zoneIdPrefix } from "../../lib/zones";
import { createHash } from "node:crypto";

/**
 * Deterministic stand-ins for what AWS would return after a create: ids and ARNs in the real
 * formats, derived from a hash of the resource's type and name so that two runs are identical.
 * Without these, every input built from an `arn` or `id` output would silently disappear from
 * the plan and guardrails would judge missing values.
 */

/** The fake account an offline plan deploys into. */
export const OFFLINE_ACCOUNT_ID = "123456789012";

/** What a synthesized resource is created in. */
export interface MockTarget {
    accountId: string;
    /**
     * The IAM role the plan runs as (an STS session of it), as `pulumi up` would with the stack's
     * deployer role.
     * @default `role/offline-plan` of the account
     */
    runnerRoleArn?: string;
    region: string;
    partition: string;
}

/** The ARN partition of a Region. */
export function partitionOf(region: string): string {
    if (region.startsWith("cn-")) return "aws-cn";
    if (region.startsWith("us-gov-")) return "aws-us-gov";
    return "aws";
}

/** Hex digest of the inputs, `length` characters long. */
export function stableHash(text: string, length: number): string {
    return createHash("sha256").update(text).digest("hex").slice(0, length);
}

function uuidFrom(text: string): string {
    const h = stableHash(text, 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

interface Synth {
    id: string;
    extra: Record<string, unknown>;
}

type Synthesizer = (name: string, inputs: Record<string, any>, t: MockTarget, hash: string) => Synth;

const arn = (t: MockTarget, service: string, resource: string, regional = true, account = true) =>
    `arn:${t.partition}:${service}:${regional ? t.region : ""}:${account ? t.accountId : ""}:${resource}`;

/** EC2-style ids (`vpc-0a1b…`) whose ARN is `arn:…:ec2:<region>:<account>:<kind>/<id>`. */
function ec2(prefix: string, kind: string): Synthesizer {
    return (_name, _inputs, t, hash) => {
        const id = `${prefix}-0${hash.slice(0, 16)}`;
        return { id, extra: { arn: arn(t, "ec2", `${kind}/${id}`) } };
    };
}

const SYNTHESIZERS: Record<string, Synthesizer> = {
    "aws:ec2/vpc:Vpc": (name, inputs, t, hash) => {
        const base = ec2("vpc", "vpc")(name, inputs, t, hash);
        return {
            id: base.id,
            extra: {
                ...base.extra,
                defaultSecurityGroupId: `sg-0${stableHash(`${hash}sg`, 16)}`,
                mainRouteTableId: `rtb-0${stableHash(`${hash}rtb`, 16)}`,
                defaultNetworkAclId: `acl-0${stableHash(`${hash}acl`, 16)}`,
                ownerId: t.accountId,
            },
        };
    },
    // A subnet placed by zone id gets the zone's name as the offline getAvailabilityZones answers it
    // (az1 is <region>a, az2 <region>b…), and one placed by name its id.
    "aws:ec2/subnet:Subnet": (name, inputs, t, hash) => {
        const base = ec2("subnet", "subnet")(name, inputs, t, hash);
        const letters = "abcdefgh";
        const fromId = /-az(\d+)$/.exec(String(inputs.availabilityZoneId ?? ""));
        const fromName = new RegExp(`^${t.region}([a-h])$`).exec(String(inputs.availabilityZone ?? ""));
        const zone = fromId
            ? { availabilityZoneId: inputs.availabilityZoneId, availabilityZone: `${t.region}${letters[Number(fromId[1]) - 1] ?? "a"}` }
            : fromName
              ? { availabilityZone: inputs.availabilityZone, availabilityZoneId: `${zoneIdPrefix(t.region)}-az${letters.indexOf(fromName[1]) + 1}` }
              : {};
        return { id: base.id, extra: { ...base.extra, ...zone } };
    },
    "aws:ec2/routeTable:RouteTable": ec2("rtb", "route-table"),
    "aws:ec2/route:Route": (_n, inputs, _t, hash) => ({ id: `r-${inputs.routeTableId ?? hash}${hash.slice(0, 8)}`, extra: {} }),
    "aws:ec2/routeTableAssociation:RouteTableAssociation": ec2("rtbassoc", "route-table-association"),
    "aws:ec2/internetGateway:InternetGateway": ec2("igw", "internet-gateway"),
    "aws:ec2/natGateway:NatGateway": (name, inputs, t, hash) => {
        const base = ec2("nat", "natgateway")(name, inputs, t, hash);
        return { id: base.id, extra: { privateIp: "10.0.0.10", publicIp: "198.51.100.10", networkInterfaceId: `eni-0${hash.slice(16, 32)}` } };
    },
    "aws:ec2/eip:Eip": (_name, _inputs, t, hash) => ({
        id: `eipalloc-0${hash.slice(0, 16)}`,
        extra: { allocationId: `eipalloc-0${hash.slice(0, 16)}`, publicIp: "198.51.100.10", arn: arn(t, "ec2", `elastic-ip/eipalloc-0${hash.slice(0, 16)}`) },
    }),
    "aws:ec2/securityGroup:SecurityGroup": (name, inputs, t, hash) => {
        const base = ec2("sg", "security-group")(name, inputs, t, hash);
        return { id: base.id, extra: { ...base.extra, name: inputs.name ?? name, ownerId: t.accountId } };
    },
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": ec2("sg", "security-group"),
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": ec2("sgr", "security-group-rule"),
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": ec2("sgr", "security-group-rule"),
    "aws:ec2/vpcEndpoint:VpcEndpoint": (name, inputs, t, hash) => {
        const base = ec2("vpce", "vpc-endpoint")(name, inputs, t, hash);
        const prefixList = inputs.vpcEndpointType === "Gateway" ? { prefixListId: `pl-${hash.slice(0, 8)}` } : {};
        const service = String(inputs.serviceName ?? "");
        const interfaceDns =
            inputs.vpcEndpointType === "Interface"
                ? [{ dnsName: `${base.id}.${service.split(".").pop()}.${t.region}.vpce.amazonaws.com`, hostedZoneId: "Z7HUB22UULQXV" }]
                : [];
        return { id: base.id, extra: { ...base.extra, ...prefixList, dnsEntries: interfaceDns, state: "available", ownerId: t.accountId } };
    },
    "aws:ec2/vpcEndpointRouteTableAssociation:VpcEndpointRouteTableAssociation": (_n, inputs, _t, hash) => ({
        id: `a-${inputs.vpcEndpointId ?? "vpce"}${hash.slice(0, 10)}`,
        extra: {},
    }),
    "aws:ec2/flowLog:FlowLog": ec2("fl", "vpc-flow-log"),
    "aws:kms/key:Key": (_n, _i, t, hash) => {
        const keyId = uuidFrom(hash);
        return { id: keyId, extra: { keyId, arn: arn(t, "kms", `key/${keyId}`) } };
    },
    "aws:kms/alias:Alias": (name, inputs, t) => {
        const aliasName = inputs.name ?? `alias/${name}`;
        return { id: aliasName, extra: { arn: arn(t, "kms", aliasName), targetKeyArn: arn(t, "kms", `key/${inputs.targetKeyId}`) } };
    },
    "aws:s3/bucket:Bucket": (name, inputs, t) => {
        const bucket = inputs.bucket ?? name;
        return {
            id: bucket,
            extra: {
                bucket,
                arn: `arn:${t.partition}:s3:::${bucket}`,
                bucketDomainName: `${bucket}.s3.amazonaws.com`,
                bucketRegionalDomainName: `${bucket}.s3.${t.region}.amazonaws.com`,
                region: t.region,
                hostedZoneId: "Z3AQBSTGFYJSTF",
            },
        };
    },
    "aws:cloudwatch/logGroup:LogGroup": (name, inputs, t) => {
        const logGroupName = inputs.name ?? name;
        return { id: logGroupName, extra: { name: logGroupName, arn: arn(t, "logs", `log-group:${logGroupName}`) } };
    },
    "aws:iam/role:Role": (name, inputs, t, hash) => {
        const roleName = inputs.name ?? name;
        return { id: roleName, extra: { name: roleName, arn: arn(t, "iam", `role/${inputs.path ?? "/"}${roleName}`.replace("//", "/"), false), uniqueId: `AROA${hash.slice(0, 17).toUpperCase()}` } };
    },
    "aws:iam/rolePolicy:RolePolicy": (name, inputs) => ({ id: `${inputs.role}:${inputs.name ?? name}`, extra: { name: inputs.name ?? name } }),
    "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": (name, inputs, t) => {
        const streamName = inputs.name ?? name;
        const deliveryArn = arn(t, "firehose", `deliverystream/${streamName}`);
        return { id: deliveryArn, extra: { name: streamName, arn: deliveryArn } };
    },
    "aws:kinesis/stream:Stream": (name, inputs, t) => {
        const streamName = inputs.name ?? name;
        const streamArn = arn(t, "kinesis", `stream/${streamName}`);
        return { id: streamArn, extra: { name: streamName, arn: streamArn } };
    },
    "aws:msk/configuration:Configuration": (name, inputs, t, hash) => ({
        id: arn(t, "kafka", `configuration/${inputs.name ?? name}/${uuidFrom(hash)}`),
        extra: { arn: arn(t, "kafka", `configuration/${inputs.name ?? name}/${uuidFrom(hash)}`), latestRevision: 1 },
    }),
    "aws:msk/cluster:Cluster": (name, inputs, t, hash) => {
        const clusterArn = arn(t, "kafka", `cluster/${inputs.clusterName ?? name}/${uuidFrom(hash)}-3`);
        const count = Number(inputs.numberOfBrokerNodes ?? 3);
        const brokers = Array.from({ length: count }, (_, i) => `b-${i + 1}.${inputs.clusterName ?? name}.${hash.slice(0, 6)}.c2.kafka.${t.region}.amazonaws.com`);
        return {
            id: clusterArn,
            extra: {
                arn: clusterArn,
                bootstrapBrokersSaslIam: brokers.map((b) => `${b}:9098`).join(","),
                bootstrapBrokersTls: brokers.map((b) => `${b}:9094`).join(","),
                currentVersion: "K3AEGXETSR30VB",
                zookeeperConnectString: "",
            },
        };
    },
    "aws:msk/serverlessCluster:ServerlessCluster": (name, inputs, t, hash) => {
        const clusterArn = arn(t, "kafka", `cluster/${inputs.clusterName ?? name}/${uuidFrom(hash)}-s1`);
        return { id: clusterArn, extra: { arn: clusterArn, bootstrapBrokersSaslIam: `boot-${hash.slice(0, 8)}.c1.kafka-serverless.${t.region}.amazonaws.com:9098` } };
    },
    "aws:glue/catalogDatabase:CatalogDatabase": (name, inputs, t) => {
        const dbName = inputs.name ?? name;
        return { id: `${t.accountId}:${dbName}`, extra: { name: dbName, arn: arn(t, "glue", `database/${dbName}`), catalogId: t.accountId } };
    },
    "aws:glue/catalogTable:CatalogTable": (name, inputs, t) => {
        const tableName = inputs.name ?? name;
        return { id: `${t.accountId}:${inputs.databaseName}:${tableName}`, extra: { name: tableName, arn: arn(t, "glue", `table/${inputs.databaseName}/${tableName}`) } };
    },
    "aws:glue/job:Job": (name, inputs, t) => ({ id: inputs.name ?? name, extra: { name: inputs.name ?? name, arn: arn(t, "glue", `job/${inputs.name ?? name}`) } }),
    "aws:glue/crawler:Crawler": (name, inputs, t) => ({ id: inputs.name ?? name, extra: { name: inputs.name ?? name, arn: arn(t, "glue", `crawler/${inputs.name ?? name}`) } }),
    "aws:glue/connection:Connection": (name, inputs, t) => ({ id: `${t.accountId}:${inputs.name ?? name}`, extra: { name: inputs.name ?? name, arn: arn(t, "glue", `connection/${inputs.name ?? name}`) } }),
    "aws:glue/securityConfiguration:SecurityConfiguration": (name, inputs) => ({ id: inputs.name ?? name, extra: { name: inputs.name ?? name } }),
    "aws:glue/dataQualityRuleset:DataQualityRuleset": (name, inputs, t) => ({ id: inputs.name ?? name, extra: { name: inputs.name ?? name, arn: arn(t, "glue", `dataQualityRuleset/${inputs.name ?? name}`) } }),
    "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings": (_n, _i, t) => ({ id: t.accountId, extra: { catalogId: t.accountId } }),
    "aws:redshift/cluster:Cluster": (name, inputs, t, hash) => {
        const id = inputs.clusterIdentifier ?? name;
        return {
            id,
            extra: {
                arn: arn(t, "redshift", `cluster:${id}`),
                endpoint: `${id}.c${hash.slice(0, 10)}.${t.region}.redshift.amazonaws.com:5439`,
                dnsName: `${id}.c${hash.slice(0, 10)}.${t.region}.redshift.amazonaws.com`,
                masterPasswordSecretArn: arn(t, "secretsmanager", `secret:redshift!${id}-admin-${hash.slice(0, 6)}`),
                clusterNamespaceArn: arn(t, "redshift", `namespace:${uuidFrom(hash)}`),
            },
        };
    },
    "aws:redshift/subnetGroup:SubnetGroup": (name, inputs, t) => ({ id: inputs.name ?? name, extra: { name: inputs.name ?? name, arn: arn(t, "redshift", `subnetgroup:${inputs.name ?? name}`) } }),
    "aws:redshift/parameterGroup:ParameterGroup": (name, inputs, t) => ({ id: inputs.name ?? name, extra: { name: inputs.name ?? name, arn: arn(t, "redshift", `parametergroup:${inputs.name ?? name}`) } }),
    "aws:redshift/logging:Logging": (name, inputs) => ({ id: String(inputs.clusterIdentifier ?? name), extra: {} }),
    "aws:redshiftserverless/namespace:Namespace": (name, inputs, t, hash) => {
        const ns = inputs.namespaceName ?? name;
        return {
            id: ns,
            extra: {
                arn: arn(t, "redshift-serverless", `namespace/${uuidFrom(hash)}`),
                namespaceId: uuidFrom(hash),
                adminPasswordSecretArn: arn(t, "secretsmanager", `secret:redshift!${ns}-admin-${hash.slice(0, 6)}`),
            },
        };
    },
    "aws:redshiftserverless/workgroup:Workgroup": (name, inputs, t, hash) => {
        const wg = inputs.workgroupName ?? name;
        return {
            id: wg,
            extra: {
                arn: arn(t, "redshift-serverless", `workgroup/${uuidFrom(hash)}`),
                workgroupId: uuidFrom(hash),
                endpoints: [{ address: `${wg}.${t.accountId}.${t.region}.redshift-serverless.amazonaws.com`, port: 5439, vpcEndpoints: [] }],
            },
        };
    },
    "aws:sfn/stateMachine:StateMachine": (name, inputs, t) => {
        const smArn = arn(t, "states", `stateMachine:${inputs.name ?? name}`);
        return { id: smArn, extra: { name: inputs.name ?? name, arn: smArn } };
    },
    "aws:sqs/queue:Queue": (name, inputs, t) => {
        const queueName = inputs.name ?? name;
        const url = `https://sqs.${t.region}.amazonaws.com/${t.accountId}/${queueName}`;
        return { id: url, extra: { name: queueName, arn: arn(t, "sqs", queueName), url } };
    },
    "aws:sns/topic:Topic": (name, inputs, t) => {
        const topicArn = arn(t, "sns", inputs.name ?? name);
        return { id: topicArn, extra: { name: inputs.name ?? name, arn: topicArn } };
    },
    "aws:sns/topicSubscription:TopicSubscription": (_n, inputs, _t, hash) => ({ id: `${inputs.topic}:${uuidFrom(hash)}`, extra: { arn: `${inputs.topic}:${uuidFrom(hash)}` } }),
    "aws:cloudtrail/trail:Trail": (name, inputs, t) => {
        const trailArn = arn(t, "cloudtrail", `trail/${inputs.name ?? name}`);
        return { id: trailArn, extra: { name: inputs.name ?? name, arn: trailArn, homeRegion: t.region } };
    },
    "aws:scheduler/schedule:Schedule": (name, inputs, t) => ({
        id: `default/${inputs.name ?? name}`,
        extra: { name: inputs.name ?? name, arn: arn(t, "scheduler", `schedule/default/${inputs.name ?? name}`) },
    }),
    "aws:cloudwatch/metricAlarm:MetricAlarm": (name, inputs, t) => ({ id: inputs.name ?? name, extra: { name: inputs.name ?? name, arn: arn(t, "cloudwatch", `alarm:${inputs.name ?? name}`) } }),
    "aws:cloudwatch/dashboard:Dashboard": (name, inputs, t) => ({
        id: inputs.dashboardName ?? name,
        extra: { dashboardArn: arn(t, "cloudwatch", `dashboard/${inputs.dashboardName ?? name}`, false) },
    }),
    "aws:cloudwatch/eventRule:EventRule": (name, inputs, t) => ({ id: inputs.name ?? name, extra: { name: inputs.name ?? name, arn: arn(t, "events", `rule/${inputs.name ?? name}`) } }),
    "aws:appautoscaling/target:Target": (name, inputs, t) => ({
        id: String(inputs.resourceId ?? name),
        extra: { arn: arn(t, "application-autoscaling", `scalable-target/${name}`) },
    }),
    "aws:s3/bucketObjectv2:BucketObjectv2": (name, inputs, _t, hash) => ({ id: String(inputs.key ?? name), extra: { etag: hash.slice(0, 32), versionId: hash.slice(0, 32) } }),
    "aws:iam/policy:Policy": (name, inputs, t) => {
        const policyName = inputs.name ?? name;
        const policyArn = arn(t, "iam", `policy/${policyName}`, false);
        return { id: policyArn, extra: { name: policyName, arn: policyArn } };
    },
};

/**
 * Synthesizes the state AWS would return for a resource: its inputs, a deterministic id, an
 * `arn` and the type-specific outputs that other resources commonly reference.
 */
export function synthesizeState(type: string, name: string, inputs: Record<string, any>, target: MockTarget): { id: string; state: Record<string, unknown> } {
    const hash = stableHash(`${type}|${name}`, 32);
    const synth = SYNTHESIZERS[type];
    if (synth) {
        const { id, extra } = synth(name, inputs, target, hash);
        return { id, state: { ...inputs, ...extra } };
    }
    return { id: `${name}-${hash.slice(0, 8)}`, state: { ...inputs, ...genericOutputs(type, name, inputs, target) } };
}

/**
 * Outputs for types without a specific synthesizer: a physical name (no random suffix), and an
 * ARN of the service's usual `<service>:<region>:<account>:<kind>/<name>` shape.
 */
function genericOutputs(type: string, name: string, inputs: Record<string, any>, t: MockTarget): Record<string, unknown> {
    const [pkg, module = "", kind = ""] = type.split(/[:/]/);
    if (pkg !== "aws") return {};
    const physical = inputs.name ?? name;
    const service = module.toLowerCase();
    const resourceKind = kind.replace(/([a-z])([A-Z])/g, "$1-$2").toLowerCase();
    return {
        name: physical,
        arn: inputs.arn ?? arn(t, service, `${resourceKind}/${physical}`),
    };
}
