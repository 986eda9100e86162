import type { PolicyResource } from "@pulumi/policy";
import { asArray, isTrue } from "../lib/props";
import { type Finding, resourceRule, stackRule } from "../lib/rule";
import { StackIndex } from "../lib/stack";

const VPC = "aws:ec2/vpc:Vpc";
const FLOW_LOG = "aws:ec2/flowLog:FlowLog";
const DEFAULT_SG = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";
const SUBNET = "aws:ec2/subnet:Subnet";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const ROUTE_TABLE = "aws:ec2/routeTable:RouteTable";
const ROUTE = "aws:ec2/route:Route";
const IGW = "aws:ec2/internetGateway:InternetGateway";
const NAT = "aws:ec2/natGateway:NatGateway";
const ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";
const ENDPOINT_RT = "aws:ec2/vpcEndpointRouteTableAssociation:VpcEndpointRouteTableAssociation";

const ANYWHERE = ["0.0.0.0/0", "::/0"];

/** A rule's port range covers `port` (protocol -1 covers all). */
function coversPort(rule: { ipProtocol?: string; protocol?: string; fromPort?: number; toPort?: number }, port: number): boolean {
    const protocol = String(rule.ipProtocol ?? rule.protocol ?? "");
    if (protocol === "-1" || protocol === "all") return true;
    return (rule.fromPort ?? 0) <= port && port <= (rule.toPort ?? 65535);
}

/**
 * A resource's security group rules in one direction, from the separate-rule resources
 * (`aws.vpc.SecurityGroupIngressRule`/`EgressRule`, `aws.ec2.SecurityGroupRule`) and inline blocks.
 */
function sgRules(resource: { type: string; props: Record<string, any> }, direction: "ingress" | "egress"): { cidrs: string[]; rule: any }[] {
    const p = resource.props;
    const blockCidrs = (rule: any) => [...asArray(rule.cidrBlocks), ...asArray(rule.ipv6CidrBlocks)] as string[];
    const separateRuleType = direction === "ingress" ? INGRESS : EGRESS;
    switch (resource.type) {
        case separateRuleType:
            return [{ cidrs: [p.cidrIpv4, p.cidrIpv6].filter(Boolean), rule: p }];
        case SG_RULE:
            return p.type === direction ? [{ cidrs: blockCidrs(p), rule: p }] : [];
        case SG:
        case DEFAULT_SG:
            return (asArray(p[direction]) as any[]).map((rule) => ({ cidrs: blockCidrs(rule), rule }));
        default:
            return [];
    }
}

/** Route tables with a route to an internet gateway are public; every other one is private. */
function privateRouteTables(index: StackIndex): PolicyResource[] {
    const publicTables = new Set<string>();
    const igws = new Set(index.ofType(IGW).map((g) => g.urn));
    for (const route of index.ofType(ROUTE)) {
        const viaIgw = index.sourcesOf(route, "gatewayId").some((g) => igws.has(g.urn)) || String(route.props.gatewayId ?? "").startsWith("igw-");
        if (viaIgw) for (const table of index.sourcesOf(route, "routeTableId")) publicTables.add(table.urn);
    }
    for (const table of index.ofType(ROUTE_TABLE)) {
        if ((asArray(table.props.routes) as any[]).some((r) => String(r.gatewayId ?? "").startsWith("igw-"))) publicTables.add(table.urn);
    }
    return index.ofType(ROUTE_TABLE).filter((t) => !publicTables.has(t.urn));
}

export const networkPolicies = [
    stackRule({
        name: "vpc-flow-logs",
        family: "LOG",
        severity: "medium",
        description: "Every VPC has flow logs.",
        remediation: "Add an aws.ec2.FlowLog for the VPC to an encrypted log group with retention.",
        refs: { fsbp: "EC2.6", checkov: ["CKV2_AWS_11"], config: "vpc-flow-logs-enabled" },
        check: (resources) => {
            const index = new StackIndex(resources);
            return index
                .ofType(VPC)
                .filter((vpc) => index.attached(vpc, FLOW_LOG, "vpcId", [vpc.props.id]).length === 0)
                .map((vpc) => ({ message: `VPC ${vpc.name}: no flow logs`, resource: vpc }));
        },
    }),
    stackRule({
        name: "vpc-default-security-group-closed",
        family: "NET",
        severity: "high",
        description: "Every VPC's default security group is managed and has no rules.",
        remediation: "Add an aws.ec2.DefaultSecurityGroup for the VPC with no ingress and no egress.",
        refs: { fsbp: "EC2.2", checkov: ["CKV2_AWS_12"], config: "vpc-default-security-group-closed" },
        check: (resources) => {
            const index = new StackIndex(resources);
            return index.ofType(VPC).flatMap((vpc): Finding[] => {
                const defaults = index.attached(vpc, DEFAULT_SG, "vpcId", [vpc.props.id]);
                if (defaults.length === 0) return [{ message: `VPC ${vpc.name}: default security group keeps AWS's default rules`, resource: vpc }];
                return defaults
                    .filter((sg) => asArray(sg.props.ingress).length > 0 || asArray(sg.props.egress).length > 0)
                    .map((sg) => ({ message: `default security group ${sg.name} has rules`, resource: sg }));
            });
        },
    }),
    resourceRule({
        name: "subnet-no-public-ip-on-launch",
        family: "NET",
        severity: "medium",
        description: "Subnets do not auto-assign public IPv4 addresses.",
        remediation: "Set mapPublicIpOnLaunch false; give NAT gateways Elastic IPs instead.",
        refs: { fsbp: "EC2.15", checkov: ["CKV_AWS_130"], config: "subnet-auto-assign-public-ip-disabled" },
        types: [SUBNET],
        check: ({ props }) => (isTrue(props.mapPublicIpOnLaunch) ? "subnet auto-assigns public IPs" : undefined),
        remediate: (props) => (isTrue(props.mapPublicIpOnLaunch) ? { ...props, mapPublicIpOnLaunch: false } : undefined),
    }),
    resourceRule({
        name: "sg-no-ingress-from-anywhere",
        family: "NET",
        severity: "high",
        description: "No security group admits traffic from 0.0.0.0/0 or ::/0, except on the configured ports; never SSH, RDP or Redshift.",
        remediation: "Admit the VPC CIDR or a named security group instead of the internet.",
        refs: { fsbp: "EC2.18", checkov: ["CKV_AWS_260", "CKV_AWS_277", "CKV_AWS_24", "CKV_AWS_25"], config: "vpc-sg-open-only-to-authorized-ports" },
        params: { authorizedPorts: { type: "array", items: { type: "number" }, description: "ports that may be open to the internet", default: [] } },
        types: [INGRESS, SG_RULE, SG],
        check: (resource, params) =>
            sgRules(resource, "ingress")
                .filter(({ cidrs }) => cidrs.some((c) => ANYWHERE.includes(c)))
                .filter(({ rule }) => {
                    const from = rule.fromPort ?? 0;
                    const to = rule.toPort ?? 65535;
                    const authorized = (params.authorizedPorts as number[]).some((p) => from === p && to === p);
                    return !authorized || [22, 3389, 5439].some((p) => coversPort(rule, p));
                })
                .map(({ rule }) => `ingress ${rule.fromPort ?? "all"}-${rule.toPort ?? "all"} is open to the internet`),
    }),
    resourceRule({
        name: "sg-egress-restricted",
        family: "NET",
        severity: "low",
        description: "Security groups do not allow all traffic to anywhere.",
        remediation: "Allow egress only to the VPC CIDR, prefix lists (S3) or named security groups, on the ports needed.",
        refs: { checkov: ["CKV_AWS_382"] },
        types: [EGRESS, SG_RULE, SG],
        check: (resource) =>
            sgRules(resource, "egress")
                .filter(({ cidrs, rule }) => cidrs.some((c) => ANYWHERE.includes(c)) && String(rule.ipProtocol ?? rule.protocol) === "-1")
                .map(() => "egress allows all traffic to anywhere"),
    }),
    stackRule({
        name: "s3-gateway-endpoint-on-private-route-tables",
        family: "NET",
        severity: "high",
        description: "An S3 gateway endpoint is associated with every private route table, so S3 traffic never crosses NAT.",
        remediation: "Create a Gateway endpoint for com.amazonaws.<region>.s3 and an aws.ec2.VpcEndpointRouteTableAssociation for each private and isolated route table.",
        refs: { isNew: true, config: "vpc-endpoint-enabled" },
        check: (resources) => {
            const index = new StackIndex(resources);
            const gateways = index.ofType(ENDPOINT).filter((e) => e.props.vpcEndpointType === "Gateway" && /\.s3$/.test(String(e.props.serviceName)));
            const gatewayUrns = new Set(gateways.map((g) => g.urn));
            const associated = new Set<string>();
            for (const association of index.ofType(ENDPOINT_RT)) {
                if (index.sourcesOf(association, "vpcEndpointId").some((e) => gatewayUrns.has(e.urn))) {
                    for (const table of index.sourcesOf(association, "routeTableId")) associated.add(table.urn);
                }
            }
            for (const gateway of gateways) for (const table of index.sourcesOf(gateway, "routeTableIds")) associated.add(table.urn);
            return privateRouteTables(index)
                .filter((t) => !associated.has(t.urn))
                .map((t) => ({ message: `route table ${t.name}: private, but not associated with an S3 gateway endpoint`, resource: t }));
        },
    }),
    stackRule({
        name: "vpc-interface-endpoints",
        family: "NET",
        severity: "medium",
        description: "Every VPC has the required interface endpoints, behind a security group admitting only the VPC (each endpoint's DNS and AZs are judged on the endpoint by vpc-interface-endpoint-private-dns-multi-az).",
        remediation: "Add the missing interface endpoints (lakehouse:network.interfaceEndpoints) in one private subnet per AZ with privateDnsEnabled.",
        refs: { isNew: true, config: "vpc-endpoint-enabled" },
        params: {
            requiredServices: {
                type: "array",
                items: { type: "string" },
                description: "service name suffixes that must have an interface endpoint",
                default: ["kinesis-streams", "kinesis-firehose", "glue", "kms", "logs", "monitoring", "sts", "secretsmanager", "sqs", "sns", "states", "redshift-data", "lakeformation"],
            },
        },
        check: (resources, params) => {
            const index = new StackIndex(resources);
            return index.ofType(VPC).flatMap((vpc): Finding[] => {
                const endpoints = index.attached(vpc, ENDPOINT, "vpcId", [vpc.props.id]).filter((e) => e.props.vpcEndpointType === "Interface");
                const findings: Finding[] = [];
                const bySuffix = new Map(endpoints.map((e) => [String(e.props.serviceName).split(".").slice(3).join("."), e]));
                const missing = (params.requiredServices as string[]).filter((s) => !bySuffix.has(s));
                if (missing.length) findings.push({ message: `VPC ${vpc.name}: no interface endpoint for ${missing.join(", ")}`, resource: vpc });
                for (const e of endpoints) {
                    for (const sg of index.sourcesOf(e, "securityGroupIds").filter((r) => r.type === SG)) {
                        const open = index
                            .attached(sg, INGRESS, "securityGroupId", [sg.props.id])
                            .filter((rule) => rule.props.cidrIpv4 && rule.props.cidrIpv4 !== vpc.props.cidrBlock);
                        for (const rule of open) findings.push({ message: `endpoint ${e.name}: security group admits ${rule.props.cidrIpv4}, outside the VPC`, resource: rule });
                    }
                }
                return findings;
            });
        },
    }),
    resourceRule({
        name: "vpc-interface-endpoint-private-dns-multi-az",
        family: "HA",
        severity: "medium",
        description: "Every interface endpoint has private DNS on (the provider default is off) and a subnet in at least the configured number of AZs, judged on the endpoint itself.",
        remediation: "Set privateDnsEnabled true and give the endpoint one private subnet per AZ.",
        refs: { isNew: true, config: "vpc-endpoint-enabled" },
        params: { minAzs: { type: "number", description: "minimum subnets (one per AZ) per interface endpoint", default: 2 } },
        types: [ENDPOINT],
        check: ({ props }, params) => {
            if (props.vpcEndpointType !== "Interface") return undefined;
            const problems: string[] = [];
            if (!isTrue(props.privateDnsEnabled)) problems.push("private DNS is off, so clients resolve the public endpoint");
            const subnets = asArray(props.subnetIds).length;
            if (subnets < params.minAzs) problems.push(`has ${subnets} subnet${subnets === 1 ? "" : "s"}, fewer than ${params.minAzs} AZs`);
            return problems;
        },
    }),
    stackRule({
        name: "nat-gateway-per-az",
        family: "HA",
        severity: "medium",
        description: "Each private route table egresses through its own NAT gateway, so one AZ's outage does not cut the others off.",
        remediation: 'Set lakehouse:network.natStrategy "perAz".',
        refs: { isNew: true, checkov: ["CKV2_AWS_35"] },
        check: (resources) => {
            const index = new StackIndex(resources);
            const nats = new Set(index.ofType(NAT).map((n) => n.urn));
            const natRoutes = index.ofType(ROUTE).filter((r) => index.sourcesOf(r, "natGatewayId").some((n) => nats.has(n.urn)));
            const tables = new Set(natRoutes.flatMap((r) => index.sourcesOf(r, "routeTableId").map((t) => t.urn)));
            const used = new Set(natRoutes.flatMap((r) => index.sourcesOf(r, "natGatewayId").map((n) => n.urn)));
            return tables.size > used.size
                ? [{ message: `${tables.size} private route tables share ${used.size} NAT gateway(s)`, resource: index.ofType(NAT)[0] }]
                : [];
        },
    }),
];
