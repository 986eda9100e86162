/**
 * The network a plan builds, indexed once per plan: VPCs, subnets and the route table each one
 * uses, routes, NAT and internet gateways, security groups with every rule that applies to them
 * (inline, `aws.vpc.SecurityGroup*Rule` or `aws.ec2.SecurityGroupRule`), and VPC endpoints with
 * their route tables, subnets, groups and policies. References are the ids the engine recorded; a
 * reference a preview could not resolve (`[unknown]`) is remembered, so a verdict that depends on
 * it says so instead of guessing.
 */
import { contains, parseCidr } from "../lib/cidr";
import type { PlanModel, PolicyDocument } from "./model";
import { parsePolicy } from "./model";
import type { PlannedResource } from "./plan";
import { isUnknown, UNKNOWN } from "./unknown";

export { isUnknown, UNKNOWN } from "./unknown";

/** One permission of a security group, to or from one peer (a CIDR, a prefix list or a group). */
export interface SgRule {
    /** `all`, `tcp`, `udp`, `icmp`, … */
    protocol: string;
    from: number;
    to: number;
    cidr?: string;
    prefixList?: string;
    group?: string;
    /** The resource that declares it, for messages. */
    declaredBy: string;
}

export interface SecurityGroupView {
    id: string;
    name: string;
    vpcId?: string;
    ingress: SgRule[];
    egress: SgRule[];
}

export interface SubnetView {
    id: string;
    name: string;
    vpcId?: string;
    cidr?: string;
}

/** A route of a route table: its destination and where it sends traffic. */
export interface RouteView {
    destination?: string;
    prefixList?: string;
    /** `nat`, `igw`, `vpce`, `tgw`, `pcx`, `eni`, `other`. */
    kind: string;
    target: string;
}

export interface EndpointView {
    resource: PlannedResource;
    id: string;
    vpcId?: string;
    type: "Gateway" | "Interface" | string;
    /** The service part of the endpoint's service name: `s3`, `dynamodb`, `logs`, `ecr.api`. */
    service: string;
    serviceName: string;
    routeTableIds: Set<string>;
    subnetIds: string[];
    securityGroupIds: string[];
    privateDns: boolean;
    prefixList?: string;
    policy?: PolicyDocument;
}

export interface NatView {
    id: string;
    name: string;
    subnetId?: string;
    connectivity: string;
}

const SG_TYPES = ["aws:ec2/securityGroup:SecurityGroup", "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"];

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]);
const asStrings = (value: unknown): string[] => asList(value).filter((v): v is string => typeof v === "string");

/** `tcp`/`6` → `tcp`; `-1`/`all` → `all`. */
function protocolOf(value: unknown): string {
    const p = String(value ?? "all").toLowerCase();
    if (p === "-1" || p === "all") return "all";
    if (p === "6") return "tcp";
    if (p === "17") return "udp";
    return p;
}

/** The endpoint service name's service part (`com.amazonaws.eu-west-1.ecr.api` → `ecr.api`). */
export function endpointService(serviceName: string): string {
    const match = /^(?:[a-z]+\.)?com\.amazonaws\.[a-z0-9-]+\.(.+)$/.exec(serviceName);
    return match ? match[1] : serviceName;
}

const networkIndexes = new WeakMap<PlanModel, NetworkIndex>();

/** The plan's network, indexed once. */
export class NetworkIndex {
    private readonly groups = new Map<string, SecurityGroupView>();
    private readonly subnets = new Map<string, SubnetView>();
    private readonly explicitRouteTable = new Map<string, string>();
    private readonly mainRouteTable = new Map<string, string>();
    private readonly routes = new Map<string, RouteView[]>();
    private readonly names = new Map<string, string>();
    private readonly nats = new Map<string, NatView>();
    private readonly igws = new Map<string, string | undefined>();
    private readonly vpcCidrs = new Map<string, string[]>();
    readonly endpoints: EndpointView[] = [];
    /** References the plan does not know, by what they would have told (`security-group rules`, `routes`…). */
    readonly unknown = new Map<string, string[]>();

    static of(model: PlanModel): NetworkIndex {
        let index = networkIndexes.get(model);
        if (!index) {
            index = new NetworkIndex(model);
            networkIndexes.set(model, index);
        }
        return index;
    }

    private constructor(readonly model: PlanModel) {
        const nameOf = (r: PlannedResource) => String(r.inputs.tags?.Name ?? r.inputs.name ?? r.outputs?.name ?? r.name);
        for (const vpc of model.ofType("aws:ec2/vpc:Vpc")) {
            if (!vpc.id) continue;
            this.names.set(vpc.id, nameOf(vpc));
            this.vpcCidrs.set(vpc.id, asStrings(vpc.inputs.cidrBlock));
            if (typeof vpc.outputs?.mainRouteTableId === "string") this.mainRouteTable.set(vpc.id, vpc.outputs.mainRouteTableId);
        }
        for (const extra of model.ofType("aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation")) {
            const vpcId = String(extra.inputs.vpcId);
            if (typeof extra.inputs.cidrBlock === "string") this.vpcCidrs.set(vpcId, [...(this.vpcCidrs.get(vpcId) ?? []), extra.inputs.cidrBlock]);
        }
        for (const main of model.ofType("aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation")) {
            if (isUnknown(main.inputs.vpcId) || isUnknown(main.inputs.routeTableId)) this.note("route tables", `main route table association ${main.name}`);
            else this.mainRouteTable.set(String(main.inputs.vpcId), String(main.inputs.routeTableId));
        }
        for (const subnet of model.ofType("aws:ec2/subnet:Subnet")) {
            if (!subnet.id) continue;
            this.subnets.set(subnet.id, { id: subnet.id, name: nameOf(subnet), vpcId: subnet.inputs.vpcId, cidr: subnet.inputs.cidrBlock });
            this.names.set(subnet.id, nameOf(subnet));
        }
        for (const assoc of model.ofType("aws:ec2/routeTableAssociation:RouteTableAssociation")) {
            if (assoc.inputs.gatewayId !== undefined && assoc.inputs.subnetId === undefined) continue;
            if (isUnknown(assoc.inputs.subnetId) || isUnknown(assoc.inputs.routeTableId)) this.note("route tables", `route table association ${assoc.name}`);
            else this.explicitRouteTable.set(String(assoc.inputs.subnetId), String(assoc.inputs.routeTableId));
        }
        const addRoute = (table: string, route: any, declaredBy: string) => {
            if (isUnknown(table)) return this.note("routes", `route ${declaredBy}`);
            const target = [
                ["nat", route.natGatewayId],
                ["vpce", route.vpcEndpointId],
                ["tgw", route.transitGatewayId],
                ["pcx", route.vpcPeeringConnectionId],
                ["eni", route.networkInterfaceId],
                ["igw", route.gatewayId],
                ["igw", route.egressOnlyGatewayId],
                ["other", route.localGatewayId ?? route.carrierGatewayId ?? route.coreNetworkArn],
            ].find(([, id]) => typeof id === "string");
            if (!target) return;
            const [kind, id] = target as [string, string];
            if (isUnknown(id)) this.note("routes", `route ${declaredBy}`);
            // gatewayId names the VPC's local router, an internet gateway or a virtual private gateway.
            const resolvedKind = kind !== "igw" ? kind : id === "local" ? "local" : id.startsWith("igw-") || this.igws.has(id) ? "igw" : isUnknown(id) ? "unknown" : "other";
            this.routes.set(table, [...(this.routes.get(table) ?? []), { destination: route.destinationCidrBlock ?? route.cidrBlock, prefixList: route.destinationPrefixListId, kind: resolvedKind, target: id }]);
        };
        for (const igw of model.ofType("aws:ec2/internetGateway:InternetGateway")) if (igw.id) this.igws.set(igw.id, igw.inputs.vpcId);
        for (const attachment of model.ofType("aws:ec2/internetGatewayAttachment:InternetGatewayAttachment")) this.igws.set(String(attachment.inputs.internetGatewayId), attachment.inputs.vpcId);
        for (const table of [...model.ofType("aws:ec2/routeTable:RouteTable"), ...model.ofType("aws:ec2/defaultRouteTable:DefaultRouteTable")]) {
            const id = table.type.includes("defaultRouteTable") ? String(table.inputs.defaultRouteTableId ?? table.id) : table.id;
            if (!id) continue;
            this.names.set(id, nameOf(table));
            if (table.type.includes("defaultRouteTable") && typeof table.inputs.vpcId === "string") this.mainRouteTable.set(table.inputs.vpcId, id);
            for (const route of asList(table.inputs.routes)) addRoute(id, route, table.name);
        }
        for (const route of model.ofType("aws:ec2/route:Route")) addRoute(String(route.inputs.routeTableId), route.inputs, route.name);
        for (const nat of model.ofType("aws:ec2/natGateway:NatGateway")) {
            if (!nat.id) continue;
            this.nats.set(nat.id, { id: nat.id, name: nameOf(nat), subnetId: nat.inputs.subnetId, connectivity: String(nat.inputs.connectivityType ?? "public") });
            this.names.set(nat.id, nameOf(nat));
        }
        this.indexSecurityGroups(model, nameOf);
        this.indexEndpoints(model, nameOf);
    }

    private note(what: string, reference: string): void {
        this.unknown.set(what, [...(this.unknown.get(what) ?? []), reference]);
    }

    private indexSecurityGroups(model: PlanModel, nameOf: (r: PlannedResource) => string): void {
        const defaultGroupOfVpc = new Map<string, string>();
        for (const vpc of model.ofType("aws:ec2/vpc:Vpc")) if (vpc.id && typeof vpc.outputs?.defaultSecurityGroupId === "string") defaultGroupOfVpc.set(vpc.id, vpc.outputs.defaultSecurityGroupId);
        const group = (id: string): SecurityGroupView => {
            let view = this.groups.get(id);
            if (!view) {
                view = { id, name: id, ingress: [], egress: [] };
                this.groups.set(id, view);
            }
            return view;
        };
        const push = (view: SecurityGroupView, direction: "ingress" | "egress", base: Omit<SgRule, "cidr" | "prefixList" | "group">, peers: { cidrs: string[]; prefixLists: string[]; groups: string[] }) => {
            for (const cidr of peers.cidrs) view[direction].push({ ...base, cidr });
            for (const prefixList of peers.prefixLists) view[direction].push({ ...base, prefixList });
            for (const peer of peers.groups) view[direction].push({ ...base, group: peer });
            if ([...peers.cidrs, ...peers.prefixLists, ...peers.groups].some(isUnknown)) this.note("security-group rules", `a peer of ${base.declaredBy}`);
        };
        const ports = (protocol: string, from: unknown, to: unknown) => (protocol === "all" ? { from: 0, to: 65535 } : { from: Number(from ?? 0), to: Number(to ?? 65535) });
        for (const type of SG_TYPES) {
            for (const sg of model.ofType(type)) {
                if (!sg.id) continue;
                const view = group(sg.id);
                view.name = nameOf(sg);
                view.vpcId = sg.inputs.vpcId;
                this.names.set(sg.id, view.name);
                // The default group of a VPC managed by this resource answers to the VPC's recorded id too.
                if (type.includes("defaultSecurityGroup") && typeof sg.inputs.vpcId === "string" && defaultGroupOfVpc.has(sg.inputs.vpcId)) this.groups.set(defaultGroupOfVpc.get(sg.inputs.vpcId)!, view);
                for (const direction of ["ingress", "egress"] as const) {
                    for (const rule of asList(sg.inputs[direction]) as any[]) {
                        const protocol = protocolOf(rule.protocol);
                        push(view, direction, { protocol, ...ports(protocol, rule.fromPort, rule.toPort), declaredBy: `${sg.name} (inline)` }, {
                            cidrs: asStrings(rule.cidrBlocks),
                            prefixLists: asStrings(rule.prefixListIds),
                            groups: [...asStrings(rule.securityGroups), ...(rule.self ? [sg.id] : [])],
                        });
                    }
                }
            }
        }
        for (const [type, direction] of [
            ["aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "ingress"],
            ["aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "egress"],
        ] as const) {
            for (const rule of model.ofType(type)) {
                const owner = rule.inputs.securityGroupId;
                if (typeof owner !== "string" || isUnknown(owner)) {
                    this.note("security-group rules", `${type.split(":").pop()} ${rule.name}`);
                    continue;
                }
                const protocol = protocolOf(rule.inputs.ipProtocol);
                push(group(owner), direction, { protocol, ...ports(protocol, rule.inputs.fromPort, rule.inputs.toPort), declaredBy: rule.name }, {
                    cidrs: asStrings(rule.inputs.cidrIpv4),
                    prefixLists: asStrings(rule.inputs.prefixListId),
                    groups: asStrings(rule.inputs.referencedSecurityGroupId),
                });
            }
        }
        for (const rule of model.ofType("aws:ec2/securityGroupRule:SecurityGroupRule")) {
            const owner = rule.inputs.securityGroupId;
            if (typeof owner !== "string" || isUnknown(owner)) {
                this.note("security-group rules", `SecurityGroupRule ${rule.name}`);
                continue;
            }
            const protocol = protocolOf(rule.inputs.protocol);
            push(group(owner), rule.inputs.type === "egress" ? "egress" : "ingress", { protocol, ...ports(protocol, rule.inputs.fromPort, rule.inputs.toPort), declaredBy: rule.name }, {
                cidrs: asStrings(rule.inputs.cidrBlocks),
                prefixLists: asStrings(rule.inputs.prefixListIds),
                groups: [...asStrings(rule.inputs.sourceSecurityGroupId), ...(rule.inputs.self ? [owner] : [])],
            });
        }
    }

    private indexEndpoints(model: PlanModel, nameOf: (r: PlannedResource) => string): void {
        const byId = new Map<string, EndpointView>();
        for (const endpoint of model.ofType("aws:ec2/vpcEndpoint:VpcEndpoint")) {
            const serviceName = String(endpoint.inputs.serviceName ?? "");
            const view: EndpointView = {
                resource: endpoint,
                id: String(endpoint.id ?? UNKNOWN),
                vpcId: endpoint.inputs.vpcId,
                type: String(endpoint.inputs.vpcEndpointType ?? "Gateway"),
                service: endpointService(serviceName),
                serviceName,
                routeTableIds: new Set(asStrings(endpoint.inputs.routeTableIds)),
                subnetIds: asStrings(endpoint.inputs.subnetIds),
                securityGroupIds: asStrings(endpoint.inputs.securityGroupIds),
                privateDns: endpoint.inputs.privateDnsEnabled === true,
                prefixList: endpoint.outputs?.prefixListId,
                policy: parsePolicy(endpoint.inputs.policy),
            };
            this.endpoints.push(view);
            byId.set(view.id, view);
            this.names.set(view.id, nameOf(endpoint));
        }
        for (const assoc of model.ofType("aws:ec2/vpcEndpointRouteTableAssociation:VpcEndpointRouteTableAssociation")) {
            const endpoint = byId.get(String(assoc.inputs.vpcEndpointId));
            if (!endpoint || isUnknown(assoc.inputs.routeTableId)) this.note("gateway endpoint routes", `endpoint route table association ${assoc.name}`);
            else endpoint.routeTableIds.add(String(assoc.inputs.routeTableId));
        }
        for (const assoc of model.ofType("aws:ec2/vpcEndpointSubnetAssociation:VpcEndpointSubnetAssociation")) {
            const endpoint = byId.get(String(assoc.inputs.vpcEndpointId));
            if (endpoint && !isUnknown(assoc.inputs.subnetId)) endpoint.subnetIds.push(String(assoc.inputs.subnetId));
        }
        for (const assoc of model.ofType("aws:ec2/vpcEndpointSecurityGroupAssociation:VpcEndpointSecurityGroupAssociation")) {
            const endpoint = byId.get(String(assoc.inputs.vpcEndpointId));
            if (endpoint && !isUnknown(assoc.inputs.securityGroupId)) endpoint.securityGroupIds.push(String(assoc.inputs.securityGroupId));
        }
        for (const policy of model.ofType("aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy")) {
            const endpoint = byId.get(String(policy.inputs.vpcEndpointId));
            if (endpoint) endpoint.policy = parsePolicy(policy.inputs.policy);
        }
    }

    /** `id (Name)` for messages. */
    label(id: string): string {
        const name = this.names.get(id);
        return name && name !== id ? `${id} (${name})` : id;
    }

    subnet(id: string): SubnetView | undefined {
        return this.subnets.get(id);
    }

    /** The security group with this id; an empty one (no rules) when the plan does not declare it. */
    securityGroup(id: string): SecurityGroupView {
        return this.groups.get(id) ?? { id, name: id, ingress: [], egress: [] };
    }

    /** The security group a VPC's resources get when they name none. */
    defaultSecurityGroup(vpcId: string | undefined): string | undefined {
        const vpc = this.model.ofType("aws:ec2/vpc:Vpc").find((v) => v.id === vpcId);
        return typeof vpc?.outputs?.defaultSecurityGroupId === "string" ? vpc.outputs.defaultSecurityGroupId : undefined;
    }

    /** The route table a subnet uses: its explicit association, else its VPC's main route table. */
    routeTableOf(subnetId: string): { id: string; explicit: boolean } | undefined {
        const explicit = this.explicitRouteTable.get(subnetId);
        if (explicit) return { id: explicit, explicit: true };
        const vpcId = this.subnets.get(subnetId)?.vpcId;
        const main = vpcId ? this.mainRouteTable.get(vpcId) : undefined;
        return main ? { id: main, explicit: false } : undefined;
    }

    routesOf(routeTableId: string): RouteView[] {
        return this.routes.get(routeTableId) ?? [];
    }

    nat(id: string): NatView | undefined {
        return this.nats.get(id);
    }

    /** Whether `id` is an internet gateway attached to `vpcId`. */
    isInternetGateway(id: string, vpcId: string | undefined): boolean {
        return this.igws.has(id) ? this.igws.get(id) === undefined || this.igws.get(id) === vpcId || vpcId === undefined : id.startsWith("igw-");
    }

    vpcCidrsOf(vpcId: string | undefined): string[] {
        return vpcId ? (this.vpcCidrs.get(vpcId) ?? []) : [];
    }

    /** The plan's references this kind of verdict depends on that a preview does not know. */
    unknownOf(...kinds: string[]): string[] {
        return kinds.flatMap((k) => this.unknown.get(k) ?? []);
    }
}

/** Whether a rule lets `protocol` traffic through on `port`. */
export function rulePasses(rule: SgRule, port: number, protocol = "tcp"): boolean {
    return (rule.protocol === "all" || rule.protocol === protocol) && rule.from <= port && port <= rule.to;
}

/** Whether a rule's CIDR contains `cidr`. */
export function ruleCovers(rule: SgRule, cidr: string): boolean {
    const outer = rule.cidr ? parseCidr(rule.cidr) : undefined;
    const inner = parseCidr(cidr);
    return !!outer && !!inner && contains(outer, inner);
}

/** What a rule must reach (or come from): alternatives, any one of which admits the traffic. */
export interface Peer {
    /** Every one of these blocks must be covered (the addresses traffic may use). */
    cidrs?: string[];
    prefixList?: string;
    groups?: string[];
}

/** The rules (of any of the groups) that admit tcp `port` to or from the peer; empty when none does. */
export function admitting(rules: SgRule[], port: number, peer: Peer): SgRule[] {
    const open = rules.filter((r) => rulePasses(r, port));
    const byGroup = open.filter((r) => r.group !== undefined && (peer.groups ?? []).includes(r.group));
    if (byGroup.length > 0) return byGroup;
    if (peer.prefixList !== undefined) {
        const byList = open.filter((r) => r.prefixList === peer.prefixList || r.cidr === "0.0.0.0/0");
        if (byList.length > 0) return byList;
    }
    const cidrs = peer.cidrs ?? [];
    if (cidrs.length > 0) {
        const covering = cidrs.map((c) => open.find((r) => ruleCovers(r, c)));
        if (covering.every(Boolean)) return [...new Set(covering as SgRule[])];
    }
    return [];
}

/** `10.42.0.0/16 tcp/443` for a message. */
export function describeRule(rule: SgRule): string {
    const peer = rule.cidr ?? rule.prefixList ?? rule.group ?? "?";
    const ports = rule.protocol === "all" ? "all traffic" : rule.from === rule.to ? `${rule.protocol}/${rule.from}` : `${rule.protocol}/${rule.from}-${rule.to}`;
    return `${peer} ${ports}`;
}
