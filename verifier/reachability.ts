/**
 * Network hops: every compute resource that runs inside the plan's VPC (a Glue job or crawler
 * through its connection, a Lambda function with a VPC configuration, a warehouse with enhanced VPC
 * routing, Firehose reading MSK through private connectivity) reaches each service and store it
 * calls. The services come from what the resource calls: its permission hops (the code table's
 * calls included), made with its role from inside the VPC, and the COPY/UNLOAD locations of a
 * warehouse. Each is judged on the path AWS would take from each subnet: a gateway endpoint on
 * the subnet's route table, else an interface endpoint with private DNS, else the default route
 * through a NAT gateway; with the security-group egress the path needs, the ingress of the
 * endpoint's or brokers' groups, and the endpoint's policy.
 */
import { parseArn } from "./arn";
import { copyStatements, resolvedTasks, taskSql } from "./definition";
import { type AccessCheck, type IamEvaluator, isServicePrincipal } from "./iam";
import type { PlanModel } from "./model";
import { admitting, describeRule, type EndpointView, isUnknown, NetworkIndex, type Peer, type SgRule } from "./network";
import type { PlannedResource } from "./plan";
import { logGroupArn, readLocation, writeLocation } from "./requirements/common";
import { firehoseDomain } from "./requirements/firehose";
import { crawlerDomain, jobDomain } from "./requirements/glue";
import type { HopSpec } from "./requirements/types";

/** The verdict of one network hop. */
export interface NetworkFinding {
    requirement: string;
    domain: string;
    hop: string;
    principal: string;
    actions: string[];
    resources: string[];
    /** `unknown`: the verdict depends on a reference the plan does not know. */
    status: "ok" | "broken" | "unknown";
    reason: string;
    fix: string;
    urn: string;
}

/** AWS documentation of each network requirement, for the verifier's README. */
export const NETWORK_CHECKS: [string, string, string][] = [
    [
        "network.glue-job",
        "A Glue job with a connection reaches every service it calls (its permission hops and code calls: S3, Glue, Lake Formation, DynamoDB, CloudWatch…) from the connection's subnet, through its security groups.",
        "https://docs.aws.amazon.com/glue/latest/dg/start-connecting.html",
    ],
    ["network.glue-crawler", "A crawler whose targets name a connection reaches S3, Glue and Lake Formation the same way.", "https://docs.aws.amazon.com/glue/latest/dg/connection-S3-VPC.html"],
    ["network.glue-connection", "The groups of a Glue connection let its workers reach each other: a self-referencing rule for all TCP ports, inbound and outbound.", "https://docs.aws.amazon.com/glue/latest/dg/setup-vpc-for-glue-access.html"],
    ["network.lambda", "A Lambda function in a VPC reaches every service its handler calls (and the Kafka brokers it talks to) from each of its subnets.", "https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html"],
    ["network.redshift", "A cluster or Serverless workgroup with enhanced VPC routing reaches S3 for every COPY and UNLOAD it runs, from its subnets through its security groups.", "https://docs.aws.amazon.com/redshift/latest/mgmt/enhanced-vpc-routing.html"],
    [
        "network.firehose-msk",
        "Firehose reads a provisioned MSK cluster through multi-VPC private connectivity: the cluster turns it on for IAM, and the brokers' groups admit the private connection's ports (14001 up, one per broker).",
        "https://docs.aws.amazon.com/firehose/latest/dev/msk_troubleshooting.html",
    ],
];

/** How a path to a service is judged, from each subnet, for the verifier's README. */
export const NETWORK_PATHS: [string, string, string][] = [
    ["gateway endpoint", "A service reached through a gateway endpoint: the endpoint is on the subnet's route table and the group's egress admits its prefix list on 443; its policy allows the calls.", "https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html"],
    [
        "interface endpoint",
        "A service reached through an interface endpoint with private DNS: egress to the endpoint's subnets or groups on 443, the endpoint's groups admit 443 from the caller, its policy allows the calls.",
        "https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html",
    ],
    ["NAT gateway", "Otherwise the subnet's default route goes to a public NAT gateway whose subnet routes to an internet gateway, and the group's egress admits 0.0.0.0/0 on 443.", "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html"],
];

/** Services that offer gateway endpoints. */
const GATEWAY_SERVICES = new Set(["s3", "dynamodb"]);

/** Endpoint service names of IAM service prefixes that differ from them. */
const ENDPOINT_SERVICE: Record<string, string> = { cloudwatch: "monitoring", kinesis: "kinesis-streams", firehose: "kinesis-firehose", ecr: "ecr.api", execute_api: "execute-api" };

/**
 * Firehose's troubleshooting guide asks that the brokers' groups admit the ports of the bootstrap
 * servers it uses (https://docs.aws.amazon.com/firehose/latest/dev/msk_troubleshooting.html); the
 * private (multi-VPC) bootstrap brokers of a provisioned cluster listen on 14001 upward, broker n on
 * 14000 + n, not on the in-VPC listener 9098.
 */
export const MSK_MULTI_VPC_FIRST_PORT = 14001;
/** The IAM listener of MSK brokers inside the cluster's VPC. */
const MSK_IAM_PORT = 9098;
const HTTPS = 443;

interface Placement {
    subnetIds: string[];
    securityGroupIds: string[];
    /** Whether the resource's interfaces get a public address (a publicly accessible warehouse). */
    publicAddress: boolean;
    /** What about the placement the plan does not know. */
    unknown: string[];
}

interface Call {
    principal: string;
    check: AccessCheck;
}

interface Compute {
    resource: PlannedResource;
    requirement: string;
    kind: string;
    label: string;
    domain: string;
    placement: Placement;
    calls: Call[];
}

type Judgement = { status: "ok" | "broken" | "unknown"; reason: string; fix: string };

const ok = (reason: string): Judgement => ({ status: "ok", reason, fix: "" });
const broken = (reason: string, fix: string): Judgement => ({ status: "broken", reason, fix });
const unknown = (reason: string): Judgement => ({ status: "unknown", reason: `not judged: ${reason}`, fix: "verify again once the plan knows these references (after the resources exist)" });

/** The endpoint service an action is called through (`cloudwatch:PutMetricData` → `monitoring`). */
function serviceOf(action: string): string {
    const prefix = action.split(":")[0];
    return ENDPOINT_SERVICE[prefix] ?? prefix;
}

/** Calls the resource makes from its own network interfaces (not through another service, nor the control plane). */
function fromInside(check: AccessCheck): boolean {
    if (check.context?.["kms:ViaService"]) return false;
    return !/^(ec2|sts|iam|kafka-cluster):/.test(check.action) && check.action !== "logs:AssociateKmsKey";
}

/** The calls of the permission hops a resource makes with its own role. */
function callsOf(specs: HopSpec[], resource: PlannedResource, role: unknown): Call[] {
    if (typeof role !== "string") return [];
    return specs.filter((s) => s.urn === resource.urn && s.principal === role && !isServicePrincipal(s.principal)).flatMap((s) => s.checks.map((check) => ({ principal: s.principal, check })));
}

const asStrings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);

function placement(subnetIds: unknown, securityGroupIds: unknown, publicAddress = false): Placement {
    const subnets = asStrings(subnetIds);
    const groups = asStrings(securityGroupIds);
    return {
        subnetIds: subnets.filter((s) => !isUnknown(s)),
        securityGroupIds: groups.filter((g) => !isUnknown(g)),
        publicAddress,
        unknown: [...subnets.filter(isUnknown).map(() => "a subnet id"), ...groups.filter(isUnknown).map(() => "a security group id")],
    };
}

/** Where a Glue job or crawler runs: the first of its connections with a physical location. */
function connectionPlacement(model: PlanModel, names: string[]): { name: string; placement: Placement } | undefined {
    for (const name of names) {
        const connection = model.findByRef("aws:glue/connection:Connection", name);
        if (!connection) return { name, placement: { subnetIds: [], securityGroupIds: [], publicAddress: false, unknown: [`connection ${name}, which the plan does not create`] } };
        const requirements = connection.inputs.physicalConnectionRequirements;
        if (requirements?.subnetId) return { name, placement: placement([requirements.subnetId], requirements.securityGroupIdLists) };
    }
    return undefined;
}

function computes(model: PlanModel, specs: HopSpec[]): Compute[] {
    const out: Compute[] = [];
    for (const job of model.ofType("aws:glue/job:Job")) {
        const where = connectionPlacement(model, asStrings(job.inputs.connections));
        if (!where) continue;
        const args = job.inputs.defaultArguments ?? {};
        const role = job.inputs.roleArn;
        const calls = callsOf(specs, job, role);
        // What the Glue runtime itself sends from the job's interfaces when the job turns it on.
        if (typeof role === "string" && args["--enable-continuous-cloudwatch-log"] === "true") calls.push({ principal: role, check: { action: "logs:PutLogEvents", resource: logGroupArn(model, "/aws-glue/jobs/logs-v2", "*") } });
        if (typeof role === "string" && (args["--enable-metrics"] !== undefined || args["--enable-observability-metrics"] === "true")) {
            calls.push({ principal: role, check: { action: "cloudwatch:PutMetricData", resource: "*", context: { "cloudwatch:namespace": "Glue" } } });
        }
        out.push({ resource: job, requirement: "network.glue-job", kind: "Glue job", label: `Glue job ${job.name}`, domain: jobDomain(job), placement: where.placement, calls });
    }
    for (const crawler of model.ofType("aws:glue/crawler:Crawler")) {
        const targets = Object.values(crawler.inputs).filter(Array.isArray).flat() as any[];
        const where = connectionPlacement(model, targets.map((t) => t?.connectionName).filter((n): n is string => typeof n === "string"));
        if (!where) continue;
        out.push({ resource: crawler, requirement: "network.glue-crawler", kind: "Glue crawler", label: `Glue crawler ${crawler.name}`, domain: crawlerDomain(crawler), placement: where.placement, calls: callsOf(specs, crawler, crawler.inputs.role) });
    }
    for (const fn of model.ofType("aws:lambda/function:Function")) {
        const vpc = fn.inputs.vpcConfig;
        if (!vpc || asStrings(vpc.subnetIds).length === 0) continue;
        out.push({ resource: fn, requirement: "network.lambda", kind: "Lambda function", label: `Lambda function ${fn.inputs.name ?? fn.name}`, domain: "platform", placement: placement(vpc.subnetIds, vpc.securityGroupIds), calls: callsOf(specs, fn, fn.inputs.role) });
    }
    for (const warehouse of [...model.ofType("aws:redshift/cluster:Cluster"), ...model.ofType("aws:redshiftserverless/workgroup:Workgroup")]) {
        if (warehouse.inputs.enhancedVpcRouting !== true) continue;
        const serverless = warehouse.type.includes("workgroup");
        const subnetIds = serverless ? warehouse.inputs.subnetIds : model.findByRef("aws:redshift/subnetGroup:SubnetGroup", warehouse.inputs.clusterSubnetGroupName)?.inputs.subnetIds;
        const groups = serverless ? warehouse.inputs.securityGroupIds : warehouse.inputs.vpcSecurityGroupIds;
        const where = placement(subnetIds, groups, warehouse.inputs.publiclyAccessible === true);
        if (where.subnetIds.length === 0) where.unknown.push(serverless ? "the workgroup's subnets" : `subnet group ${warehouse.inputs.clusterSubnetGroupName}, which the plan does not create`);
        out.push({
            resource: warehouse,
            requirement: "network.redshift",
            kind: "warehouse",
            label: `${serverless ? "Redshift Serverless workgroup" : "Redshift cluster"} ${warehouse.name}`,
            domain: "platform",
            placement: where,
            calls: warehouseCalls(model, warehouse),
        });
    }
    return out;
}

/** The S3 requests of every COPY and UNLOAD the warehouse runs (state machine tasks and schema statements), with the role each names. */
function warehouseCalls(model: PlanModel, warehouse: PlannedResource): Call[] {
    const mine = (p: Record<string, any>) =>
        warehouse.type.includes("workgroup") ? p.WorkgroupName === warehouse.inputs.workgroupName || p.workgroupName === warehouse.inputs.workgroupName : p.ClusterIdentifier === warehouse.inputs.clusterIdentifier || p.clusterIdentifier === warehouse.inputs.clusterIdentifier;
    const sqls: string[] = [];
    for (const sm of model.ofType("aws:sfn/stateMachine:StateMachine")) {
        for (const task of resolvedTasks(model.definitionOf(sm))) {
            const sql = taskSql(task.parameters);
            if (sql !== undefined && mine(task.parameters as Record<string, any>)) sqls.push(sql);
        }
    }
    for (const statement of model.ofType("aws:redshiftdata/statement:Statement")) if (typeof statement.inputs.sql === "string" && mine(statement.inputs)) sqls.push(statement.inputs.sql);
    const defaultRole = warehouse.inputs.defaultIamRoleArn;
    return sqls.flatMap((sql) =>
        copyStatements(sql).flatMap((c) => {
            const role = c.iamRole === "default" ? defaultRole : c.iamRole;
            if (typeof role !== "string") return [];
            const concrete = c.path.includes("<") ? c.path.slice(0, c.path.indexOf("<")) : c.path;
            const location = concrete.slice(0, concrete.lastIndexOf("/") + 1);
            return (c.kind === "copy" ? readLocation(model, location) : writeLocation(model, location)).map((check) => ({ principal: role, check }));
        }),
    );
}

/** Judges reaching a service (through port 443) from each subnet of a placement. */
class Judge {
    constructor(
        private readonly model: PlanModel,
        private readonly net: NetworkIndex,
        private readonly iam: IamEvaluator,
    ) {}

    private groupsText(ids: string[], direction: "egress" | "ingress"): string {
        if (ids.length === 0) return "no security group";
        return ids
            .map((id) => {
                const rules = this.net.securityGroup(id)[direction];
                return `security group ${this.net.label(id)} (${direction}: ${rules.length > 0 ? rules.map(describeRule).join(", ") : "none"})`;
            })
            .join(" and ");
    }

    private rules(ids: string[], direction: "egress" | "ingress"): SgRule[] {
        return ids.flatMap((id) => this.net.securityGroup(id)[direction]);
    }

    /** A broken verdict becomes "not judged" when the plan does not know references that could have changed it. */
    private settle(judgement: Judgement, ...kinds: string[]): Judgement {
        if (judgement.status !== "broken") return judgement;
        const missing = this.net.unknownOf(...kinds);
        return missing.length > 0 ? unknown(`${judgement.reason}; the plan does not know ${missing.slice(0, 3).join(", ")}${missing.length > 3 ? ` and ${missing.length - 3} more` : ""}`) : judgement;
    }

    private async policy(endpoint: EndpointView, calls: Call[]): Promise<string | undefined> {
        if (!endpoint.policy) return undefined;
        for (const call of calls) {
            const verdict = await this.iam.endpointPolicyAllows(call.principal, call.check, { id: endpoint.id, vpcId: endpoint.vpcId, policy: endpoint.policy });
            if (!verdict.allowed) return verdict.reason;
        }
        return undefined;
    }

    async service(compute: Compute, service: string, calls: Call[]): Promise<Judgement> {
        const where = compute.placement;
        if (where.unknown.length > 0) return unknown(`the plan does not know ${where.unknown.join(", ")} of ${compute.label}`);
        const verdicts: { subnet: string; judgement: Judgement }[] = [];
        for (const subnetId of where.subnetIds) verdicts.push({ subnet: subnetId, judgement: await this.fromSubnet(compute, subnetId, service, calls) });
        const worst = verdicts.filter((v) => v.judgement.status === "broken");
        const open = verdicts.filter((v) => v.judgement.status === "unknown");
        const pick = worst.length > 0 ? worst : open.length > 0 ? open : verdicts;
        if (pick.length === 0) return broken(`${compute.label} has no subnet`, "place it in the VPC's private subnets");
        const reasons = [...new Set(pick.map((v) => v.judgement.reason))];
        return { status: pick[0].judgement.status, reason: reasons.join(" | "), fix: pick[0].judgement.fix };
    }

    private async fromSubnet(compute: Compute, subnetId: string, service: string, calls: Call[]): Promise<Judgement> {
        const net = this.net;
        const subnet = net.subnet(subnetId);
        if (!subnet) return unknown(`subnet ${subnetId} is not in the plan`);
        const table = net.routeTableOf(subnetId);
        if (!table) return this.settle(broken(`subnet ${net.label(subnetId)} has no route table the plan knows`, `associate ${net.label(subnetId)} with a route table`), "route tables");
        const tableText = `route table ${net.label(table.id)}${table.explicit ? "" : " (the VPC's main route table)"} of subnet ${net.label(subnetId)}`;
        const groups = compute.placement.securityGroupIds.length > 0 ? compute.placement.securityGroupIds : [net.defaultSecurityGroup(subnet.vpcId)].filter((g): g is string => !!g);
        const egress = this.rules(groups, "egress");
        const endpoints = net.endpoints.filter((e) => e.service === service && e.vpcId === subnet.vpcId);
        const missing: string[] = [];

        if (GATEWAY_SERVICES.has(service)) {
            const gateways = endpoints.filter((e) => e.type === "Gateway");
            const routed = gateways.find((e) => e.routeTableIds.has(table.id));
            if (routed) {
                // The endpoint's prefix-list route is more specific than any default route: traffic to the service takes it.
                if (routed.prefixList === undefined || isUnknown(routed.prefixList)) {
                    if (admitting(egress, HTTPS, { cidrs: ["0.0.0.0/0"] }).length === 0) return unknown(`the prefix list of gateway endpoint ${net.label(routed.id)}`);
                }
                const through = admitting(egress, HTTPS, { prefixList: routed.prefixList });
                if (through.length === 0) {
                    return this.settle(
                        broken(
                            `${service} is routed to gateway endpoint ${net.label(routed.id)} by ${tableText}, but ${this.groupsText(groups, "egress")} has no egress tcp/443 to its prefix list ${routed.prefixList}`,
                            `allow egress tcp/443 to prefix list ${routed.prefixList} in ${groups.join(", ")}`,
                        ),
                        "security-group rules",
                    );
                }
                const denied = await this.policy(routed, calls);
                if (denied) return broken(`${service} through gateway endpoint ${net.label(routed.id)}: ${denied}`, `allow the calls in the policy of ${routed.id}`);
                return ok(`through gateway endpoint ${net.label(routed.id)} (on ${tableText}; egress ${describeRule(through[0])})`);
            }
            missing.push(gateways.length > 0 ? `gateway endpoint ${gateways.map((g) => net.label(g.id)).join(", ")} for ${service} is not on ${tableText}` : `no gateway endpoint for ${service} in ${net.label(String(subnet.vpcId))}`);
        }

        const interfaces = endpoints.filter((e) => e.type === "Interface");
        const privateEndpoint = interfaces.find((e) => e.privateDns);
        if (privateEndpoint) {
            // Private DNS gives the service's own name the endpoint's addresses: calls go there, never through the NAT.
            const endpointGroups = privateEndpoint.securityGroupIds.length > 0 ? privateEndpoint.securityGroupIds : [net.defaultSecurityGroup(subnet.vpcId)].filter((g): g is string => !!g);
            const endpointCidrs = privateEndpoint.subnetIds.map((id) => net.subnet(id)?.cidr).filter((c): c is string => !!c);
            const out = admitting(egress, HTTPS, { cidrs: endpointCidrs, groups: endpointGroups } satisfies Peer);
            const into = admitting(this.rules(endpointGroups, "ingress"), HTTPS, { cidrs: subnet.cidr ? [subnet.cidr] : [], groups });
            const problems = [
                out.length === 0 ? `${this.groupsText(groups, "egress")} has no egress tcp/443 to its subnets (${endpointCidrs.join(", ") || "none known"}) or groups` : "",
                into.length === 0 ? `${this.groupsText(endpointGroups, "ingress")} admits no tcp/443 from ${subnet.cidr ?? subnetId} or ${groups.join(", ")}` : "",
            ].filter(Boolean);
            if (problems.length > 0) {
                return this.settle(
                    broken(`${service} resolves to interface endpoint ${net.label(privateEndpoint.id)} (private DNS), but ${problems.join("; and ")}`, `allow tcp/443 from ${compute.kind} to the endpoint (egress of its groups, ingress of the endpoint's)`),
                    "security-group rules",
                );
            }
            const denied = await this.policy(privateEndpoint, calls);
            if (denied) return broken(`${service} through interface endpoint ${net.label(privateEndpoint.id)}: ${denied}`, `allow the calls in the policy of ${privateEndpoint.id}`);
            return ok(`through interface endpoint ${net.label(privateEndpoint.id)} (private DNS; egress ${describeRule(out[0])}, ingress ${describeRule(into[0])})`);
        }
        if (interfaces.length > 0) missing.push(`interface endpoint ${interfaces.map((e) => net.label(e.id)).join(", ")} for ${service} has private DNS off, so ${service}'s name resolves to its public address`);
        else if (!GATEWAY_SERVICES.has(service)) missing.push(`no interface endpoint for ${service} in ${net.label(String(subnet.vpcId))}`);

        const endpointFix = GATEWAY_SERVICES.has(service) ? `a ${service} gateway endpoint on ${table.id} with egress to its prefix list` : `an interface endpoint for ${service} with private DNS`;
        const route = net.routesOf(table.id).find((r) => r.destination === "0.0.0.0/0");
        if (!route) return this.settle(broken(`${missing.join("; ")}; and ${tableText} has no default route (no NAT)`, `add ${endpointFix}`), "routes", "gateway endpoint routes");
        if (route.kind === "nat") {
            const nat = net.nat(route.target);
            if (!nat) return unknown(`${tableText} routes 0.0.0.0/0 to ${route.target}, a NAT gateway the plan does not create`);
            const natTable = nat.subnetId ? net.routeTableOf(nat.subnetId) : undefined;
            const natRoute = natTable ? net.routesOf(natTable.id).find((r) => r.destination === "0.0.0.0/0") : undefined;
            if (nat.connectivity === "private" || natRoute?.kind !== "igw" || !net.isInternetGateway(natRoute.target, subnet.vpcId)) {
                return this.settle(broken(`${missing.join("; ")}; and NAT gateway ${net.label(nat.id)} has no route to an internet gateway`, `add ${endpointFix}, or give the NAT gateway a public subnet`), "routes");
            }
            const out = admitting(egress, HTTPS, { cidrs: ["0.0.0.0/0"] });
            if (out.length === 0) {
                return this.settle(
                    broken(`${missing.join("; ")}; and the NAT route of ${tableText} (0.0.0.0/0 → ${net.label(nat.id)}) needs egress tcp/443 to 0.0.0.0/0, which ${this.groupsText(groups, "egress")} does not allow`, `add ${endpointFix}, or allow egress tcp/443 to 0.0.0.0/0`),
                    "security-group rules",
                    "gateway endpoint routes",
                );
            }
            return ok(`through NAT gateway ${net.label(nat.id)} (default route of ${tableText}; egress ${describeRule(out[0])})`);
        }
        if (route.kind === "igw") {
            if (!compute.placement.publicAddress) return broken(`${missing.join("; ")}; and ${tableText} sends 0.0.0.0/0 to internet gateway ${route.target}, but a ${compute.kind}'s network interfaces have no public address`, `add ${endpointFix}, or a NAT gateway`);
            const out = admitting(egress, HTTPS, { cidrs: ["0.0.0.0/0"] });
            if (out.length === 0) return this.settle(broken(`${missing.join("; ")}; and ${this.groupsText(groups, "egress")} has no egress tcp/443 to 0.0.0.0/0 for the internet gateway route`, "allow egress tcp/443 to 0.0.0.0/0"), "security-group rules");
            return ok(`through internet gateway ${route.target} (public address; egress ${describeRule(out[0])})`);
        }
        return unknown(`${tableText} sends 0.0.0.0/0 to ${route.target} (${route.kind}), a path the verifier does not follow`);
    }

    /** Reaching brokers (or any in-VPC target) on `ports`: the source's egress and the target's ingress. */
    async brokers(source: { placement?: Placement; label: string }, target: { subnetIds: string[]; securityGroupIds: string[]; vpcId?: string }, ports: number[]): Promise<Judgement> {
        const net = this.net;
        const targetCidrs = target.subnetIds.map((id) => net.subnet(id)?.cidr).filter((c): c is string => !!c);
        const targetGroups = target.securityGroupIds.length > 0 ? target.securityGroupIds : [net.defaultSecurityGroup(target.vpcId)].filter((g): g is string => !!g);
        const problems: string[] = [];
        let sourcePeer: Peer;
        if (source.placement) {
            if (source.placement.unknown.length > 0) return unknown(`the plan does not know ${source.placement.unknown.join(", ")} of ${source.label}`);
            const sourceCidrs = source.placement.subnetIds.map((id) => net.subnet(id)?.cidr).filter((c): c is string => !!c);
            sourcePeer = { cidrs: sourceCidrs, groups: source.placement.securityGroupIds };
            for (const port of ports) {
                if (admitting(this.rules(source.placement.securityGroupIds, "egress"), port, { cidrs: targetCidrs, groups: targetGroups }).length === 0) {
                    problems.push(`${this.groupsText(source.placement.securityGroupIds, "egress")} has no egress tcp/${port} to the brokers' subnets or groups`);
                    break;
                }
            }
        } else {
            // A connection the service manages in the cluster's subnets: its traffic comes from their addresses.
            sourcePeer = { cidrs: targetCidrs };
        }
        const refused = ports.filter((port) => admitting(this.rules(targetGroups, "ingress"), port, sourcePeer).length === 0);
        if (refused.length > 0) problems.push(`${this.groupsText(targetGroups, "ingress")} admits no tcp/${refused.length === ports.length && ports.length > 1 ? `${ports[0]}-${ports[ports.length - 1]}` : refused.join(",")} from ${source.label}`);
        if (problems.length > 0) return this.settle(broken(problems.join("; and "), `allow tcp/${ports.length > 1 ? `${ports[0]}-${ports[ports.length - 1]}` : ports[0]} from ${source.label} to the brokers (egress of its groups, ingress of the brokers')`), "security-group rules");
        return ok(`tcp/${ports.length > 1 ? `${ports[0]}-${ports[ports.length - 1]}` : ports[0]} admitted by ${targetGroups.map((g) => net.label(g)).join(", ")}`);
    }

    /** The groups of a Glue connection let workers talk to each other on every TCP port, both ways. */
    workers(groups: string[]): Judgement {
        const allTcp = (rules: SgRule[]) => rules.some((r) => (r.protocol === "all" || (r.protocol === "tcp" && r.from === 0 && r.to === 65535)) && r.group !== undefined && groups.includes(r.group));
        const problems = [
            allTcp(this.rules(groups, "ingress")) ? "" : `${this.groupsText(groups, "ingress")} has no self-referencing rule for all TCP ports`,
            allTcp(this.rules(groups, "egress")) || this.rules(groups, "egress").some((r) => r.cidr === "0.0.0.0/0" && r.protocol === "all") ? "" : `${this.groupsText(groups, "egress")} lets no TCP traffic out to the connection's own groups`,
        ].filter(Boolean);
        return problems.length > 0 ? this.settle(broken(problems.join("; and "), "add a self-referencing all-TCP rule, inbound and outbound, to the connection's security group"), "security-group rules") : ok("self-referencing all-TCP rules, inbound and outbound");
    }

    clusterOf(arn: string): PlannedResource | undefined {
        const parsed = parseArn(arn);
        if (parsed?.service !== "kafka") return undefined;
        const [kind, name, uuid] = parsed.resource.split("/");
        const clusterArn = kind === "cluster" ? arn : `arn:${parsed.partition}:kafka:${parsed.region}:${parsed.account}:cluster/${name}/${uuid}`;
        return this.model.findByArn(clusterArn);
    }
}

/** Where an MSK cluster's brokers (or a Serverless cluster's client endpoints) sit. */
function brokerPlacement(cluster: PlannedResource): { subnetIds: string[]; securityGroupIds: string[]; vpcId?: string } {
    if (cluster.type.includes("serverlessCluster")) {
        const configs = (cluster.inputs.vpcConfigs ?? []) as any[];
        return { subnetIds: configs.flatMap((c) => asStrings(c.subnetIds)), securityGroupIds: configs.flatMap((c) => asStrings(c.securityGroupIds)) };
    }
    const info = cluster.inputs.brokerNodeGroupInfo ?? {};
    return { subnetIds: asStrings(info.clientSubnets), securityGroupIds: asStrings(info.securityGroups) };
}

/** Every network hop of the plan. `specs` are the permission hops, whose calls say what each resource reaches. */
export async function networkFindings(model: PlanModel, iam: IamEvaluator, specs: HopSpec[]): Promise<NetworkFinding[]> {
    const net = NetworkIndex.of(model);
    const judge = new Judge(model, net, iam);
    const out: NetworkFinding[] = [];
    const finding = (compute: { requirement: string; domain: string; resource: PlannedResource }, hop: string, principal: string, actions: string[], resources: string[], judgement: Judgement) =>
        out.push({ requirement: compute.requirement, domain: compute.domain, hop, principal, actions, resources, status: judgement.status, reason: judgement.reason, fix: judgement.fix, urn: compute.resource.urn });

    for (const compute of computes(model, specs)) {
        const byService = new Map<string, Call[]>();
        const clusters = new Map<string, PlannedResource | undefined>();
        for (const call of compute.calls) {
            if (call.check.action.startsWith("kafka-cluster:")) {
                clusters.set(call.check.resource, judge.clusterOf(call.check.resource));
                continue;
            }
            if (!fromInside(call.check)) continue;
            const service = serviceOf(call.check.action);
            byService.set(service, [...(byService.get(service) ?? []), call]);
        }
        for (const [service, calls] of [...byService.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
            const judgement = await judge.service(compute, service, calls);
            const serviceName = `com.amazonaws.${model.region}.${service}`;
            finding(compute, `${compute.label} reaches ${service}`, compute.resource.name, [...new Set(calls.map((c) => c.check.action))], [serviceName], {
                ...judgement,
                reason: judgement.status === "ok" ? `${service} ${judgement.reason}` : `${compute.label} → ${service}: ${judgement.reason}`,
            });
        }
        const seen = new Set<PlannedResource>();
        for (const [arn, cluster] of clusters) {
            if (cluster && seen.has(cluster)) continue;
            if (cluster) seen.add(cluster);
            const judgement = cluster ? await judge.brokers({ placement: compute.placement, label: compute.label }, brokerPlacement(cluster), [MSK_IAM_PORT]) : unknown(`the Kafka cluster of ${arn} is not in the plan`);
            finding(compute, `${compute.label} reaches the Kafka brokers of ${cluster?.inputs.clusterName ?? arn}`, compute.resource.name, [`tcp/${MSK_IAM_PORT}`], [String(cluster ? model.arnOf(cluster) : arn)], {
                ...judgement,
                reason: judgement.status === "ok" ? judgement.reason : `${compute.label} → Kafka brokers: ${judgement.reason}`,
            });
        }
    }

    // Workers of a Glue connection talk to each other.
    for (const connection of model.ofType("aws:glue/connection:Connection")) {
        const requirements = connection.inputs.physicalConnectionRequirements;
        const name = model.nameOf(connection) ?? connection.name;
        const used = [...model.ofType("aws:glue/job:Job"), ...model.ofType("aws:glue/crawler:Crawler")].some((r) => JSON.stringify(r.inputs).includes(`"${name}"`));
        if (!requirements?.subnetId || !used) continue;
        const where = placement([requirements.subnetId], requirements.securityGroupIdLists);
        const judgement = where.unknown.length > 0 ? unknown(`the plan does not know ${where.unknown.join(", ")} of connection ${name}`) : judge.workers(where.securityGroupIds);
        out.push({
            requirement: "network.glue-connection",
            domain: "platform",
            hop: `Glue workers in connection ${name} reach each other`,
            principal: name,
            actions: ["tcp/0-65535"],
            resources: where.securityGroupIds,
            status: judgement.status,
            reason: judgement.reason,
            fix: judgement.fix,
            urn: connection.urn,
        });
    }

    // Firehose reading a provisioned cluster through multi-VPC private connectivity.
    for (const delivery of model.ofType("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream")) {
        const source = delivery.inputs.mskSourceConfiguration;
        if (source?.authenticationConfiguration?.connectivity !== "PRIVATE") continue;
        const cluster = model.findByArn(source.mskClusterArn);
        const compute = { requirement: "network.firehose-msk", domain: firehoseDomain(delivery), resource: delivery };
        const label = `Firehose ${delivery.name}`;
        if (isUnknown(source.mskClusterArn)) {
            finding(compute, `${label} reaches its MSK brokers privately`, delivery.name, [], [], unknown("the cluster ARN of its MSK source"));
            continue;
        }
        // MSK Serverless: Firehose's own connection reaches the cluster; no group of this plan is on the path.
        if (cluster?.type !== "aws:msk/cluster:Cluster") {
            if (!cluster) finding(compute, `${label} reaches its MSK brokers privately`, delivery.name, [], [String(source.mskClusterArn)], unknown(`cluster ${source.mskClusterArn} is not in the plan`));
            continue;
        }
        const iamMultiVpc = cluster.inputs.brokerNodeGroupInfo?.connectivityInfo?.vpcConnectivity?.clientAuthentication?.sasl?.iam === true;
        finding(compute, `${cluster.inputs.clusterName ?? cluster.name} offers multi-VPC private connectivity to ${label}`, delivery.name, ["kafka:CreateVpcConnection"], [String(source.mskClusterArn)],
            iamMultiVpc
                ? ok("multi-VPC private connectivity is on for IAM (brokerNodeGroupInfo.connectivityInfo.vpcConnectivity)")
                : broken(`cluster ${cluster.name} does not turn on multi-VPC private connectivity for IAM (brokerNodeGroupInfo.connectivityInfo.vpcConnectivity.clientAuthentication.sasl.iam), so Firehose cannot create its private connection`, "turn on vpcConnectivity with IAM client authentication on the cluster"),
        );
        const brokers = Number(cluster.inputs.numberOfBrokerNodes ?? 0);
        const ports = Array.from({ length: Math.max(brokers, 1) }, (_, i) => MSK_MULTI_VPC_FIRST_PORT + i);
        const judgement = await judge.brokers({ label: `Firehose's private connection` }, brokerPlacement(cluster), ports);
        finding(compute, `${label} reaches the brokers of ${cluster.inputs.clusterName ?? cluster.name} through its private connection`, delivery.name, [`tcp/${ports[0]}-${ports[ports.length - 1]}`], [String(source.mskClusterArn)], {
            ...judgement,
            reason: judgement.status === "ok" ? judgement.reason : `${label} → brokers of ${cluster.name}: ${judgement.reason}`,
        });
    }
    return out;
}
