import { bucketOfArn, parseArn } from "./arn";
import type { PlannedResource, PlannedStack } from "./plan";

/** A policy document found in the plan, and where it came from (so tests can break it). */
export interface PolicySource {
    /** Resource whose input holds the document. */
    urn: string;
    /** Path of the input holding it: `policy`, `assumeRolePolicy`, `inlinePolicies[0].policy`. */
    property: string;
    /** Name the simulator reports the policy by. */
    name: string;
    document: PolicyDocument;
}

/** An IAM policy document. */
export interface PolicyDocument {
    Version?: string;
    Statement: PolicyStatement[];
}

/** One statement, in any of IAM's valid shapes. */
export interface PolicyStatement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Principal?: unknown;
    NotPrincipal?: unknown;
    Action?: string | string[];
    NotAction?: string | string[];
    Resource?: string | string[];
    NotResource?: string | string[];
    Condition?: Record<string, Record<string, unknown>>;
}

/** A Glue catalog table with where its data lies and how it is partitioned. */
export interface CatalogTableView {
    resource: PlannedResource;
    database: string;
    name: string;
    /** `s3://bucket/prefix/`, as declared. */
    location?: string;
    partitionKeys: string[];
}

/** A lifecycle rule, reduced to what decides whether it deletes or archives objects. */
export interface LifecycleRuleView {
    id: string;
    enabled: boolean;
    /** Key prefix the rule is filtered to ("" for the whole bucket). */
    prefix: string;
    /** Days after which current versions expire. */
    expirationDays?: number;
    /** Transitions of current versions, by storage class. */
    transitions: { days: number; storageClass: string }[];
}

const AWS_MANAGED_POLICY = /^arn:[^:]+:iam::aws:policy\//;

/** Parses a policy input (a JSON string, or an object) into a document; undefined when it is neither. */
export function parsePolicy(value: unknown): PolicyDocument | undefined {
    let doc: unknown = value;
    if (typeof value === "string") {
        try {
            doc = JSON.parse(value);
        } catch {
            return undefined;
        }
    }
    if (!doc || typeof doc !== "object") return undefined;
    const statement = (doc as { Statement?: unknown }).Statement;
    if (statement === undefined) return undefined;
    return { ...(doc as object), Statement: [statement].flat() as PolicyStatement[] };
}

/**
 * The recorded plan, indexed for the questions hops ask: which resource has this ARN or name,
 * which policies apply to a principal or a resource, where a table's data lies.
 */
export class PlanModel {
    readonly resources: PlannedResource[];
    /** The account most ARNs in the plan belong to. */
    readonly accountId: string;
    readonly region: string;
    readonly partition: string;
    private readonly byType = new Map<string, PlannedResource[]>();
    private readonly byArn = new Map<string, PlannedResource>();

    constructor(readonly plan: PlannedStack) {
        this.resources = plan.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
        const accounts = new Map<string, number>();
        const regions = new Map<string, number>();
        let partition = "aws";
        for (const r of this.resources) {
            this.byType.set(r.type, [...(this.byType.get(r.type) ?? []), r]);
            const arn = this.arnOf(r);
            if (arn) this.byArn.set(arn, r);
            const parsed = parseArn(arn);
            if (parsed?.account) accounts.set(parsed.account, (accounts.get(parsed.account) ?? 0) + 1);
            if (parsed?.region) regions.set(parsed.region, (regions.get(parsed.region) ?? 0) + 1);
            if (parsed) partition = parsed.partition;
        }
        const most = (counts: Map<string, number>) => [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "";
        this.accountId = most(accounts);
        this.region = most(regions);
        this.partition = partition;
    }

    /** Resources of a type, in plan order. */
    ofType(type: string): PlannedResource[] {
        return this.byType.get(type) ?? [];
    }

    /** A resource's ARN: its synthesized `arn` output, or an `arn` input. */
    arnOf(resource: PlannedResource): string | undefined {
        const arn = resource.outputs?.arn ?? resource.inputs.arn;
        return typeof arn === "string" ? arn : undefined;
    }

    /** The resource with this ARN. */
    findByArn(arn: string | undefined): PlannedResource | undefined {
        return arn ? this.byArn.get(arn) : undefined;
    }

    /** The physical name of a resource: its `name` input or output, else its id. */
    nameOf(resource: PlannedResource): string | undefined {
        const name = resource.inputs.name ?? resource.outputs?.name ?? resource.id;
        return typeof name === "string" ? name : undefined;
    }

    /** The first resource of a type whose physical name, id or ARN is `ref`. */
    findByRef(type: string, ref: unknown): PlannedResource | undefined {
        if (typeof ref !== "string") return undefined;
        return this.ofType(type).find((r) => this.nameOf(r) === ref || r.id === ref || this.arnOf(r) === ref);
    }

    /** The IAM role with this ARN. */
    role(arn: string): PlannedResource | undefined {
        return this.ofType("aws:iam/role:Role").find((r) => this.arnOf(r) === arn);
    }

    /**
     * The identity policies of a role: inline policy resources, `inlinePolicies`, and attached
     * customer-managed policies. AWS-managed policies are not in a plan: their ARNs are returned
     * in `unresolved`, so a verdict can say it could not see them.
     */
    identityPolicies(roleArn: string): { policies: PolicySource[]; unresolved: string[] } {
        const role = this.role(roleArn);
        if (!role) return { policies: [], unresolved: [] };
        const refs = new Set([this.nameOf(role), role.id, roleArn].filter((v): v is string => typeof v === "string"));
        const policies: PolicySource[] = [];
        const unresolved: string[] = [];
        for (const rp of this.ofType("aws:iam/rolePolicy:RolePolicy")) {
            if (!refs.has(rp.inputs.role)) continue;
            const document = parsePolicy(rp.inputs.policy);
            if (document) policies.push({ urn: rp.urn, property: "policy", name: this.nameOf(rp) ?? rp.name, document });
        }
        (Array.isArray(role.inputs.inlinePolicies) ? role.inputs.inlinePolicies : []).forEach((inline: any, i: number) => {
            const document = parsePolicy(inline?.policy);
            if (document) policies.push({ urn: role.urn, property: `inlinePolicies[${i}].policy`, name: String(inline.name ?? `inline-${i}`), document });
        });
        const attached = [
            ...this.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => refs.has(a.inputs.role)).map((a) => a.inputs.policyArn),
            ...(Array.isArray(role.inputs.managedPolicyArns) ? role.inputs.managedPolicyArns : []),
        ];
        for (const policyArn of attached) {
            const managed = this.ofType("aws:iam/policy:Policy").find((p) => this.arnOf(p) === policyArn);
            const document = managed ? parsePolicy(managed.inputs.policy) : undefined;
            if (managed && document) policies.push({ urn: managed.urn, property: "policy", name: this.nameOf(managed) ?? managed.name, document });
            else if (typeof policyArn === "string") unresolved.push(AWS_MANAGED_POLICY.test(policyArn) ? policyArn : `${policyArn} (not in the plan)`);
        }
        return { policies, unresolved };
    }

    /** The resource policy that governs access to an ARN (bucket, key, topic, queue, cluster policy). */
    resourcePolicy(arn: string): PolicySource | undefined {
        const parsed = parseArn(arn);
        if (!parsed) return undefined;
        const fromInput = (r: PlannedResource | undefined, property = "policy"): PolicySource | undefined => {
            const document = r ? parsePolicy(r.inputs[property]) : undefined;
            return r && document ? { urn: r.urn, property, name: `${r.type.split(":").pop()} ${this.nameOf(r) ?? r.name}`, document } : undefined;
        };
        switch (parsed.service) {
            case "s3": {
                const bucket = bucketOfArn(arn)!;
                const policy = this.ofType("aws:s3/bucketPolicy:BucketPolicy").find((p) => p.inputs.bucket === bucket);
                return fromInput(policy) ?? fromInput(this.bucket(bucket));
            }
            case "kms":
                return fromInput(this.key(arn));
            case "sns":
                return fromInput(this.ofType("aws:sns/topicPolicy:TopicPolicy").find((p) => p.inputs.arn === arn)) ?? fromInput(this.findByArn(arn));
            case "sqs": {
                const queue = this.findByArn(arn);
                const url = queue?.outputs?.url ?? queue?.id;
                return fromInput(this.ofType("aws:sqs/queuePolicy:QueuePolicy").find((p) => p.inputs.queueUrl === url)) ?? fromInput(queue);
            }
            case "iam": {
                const role = this.role(arn);
                return role ? fromInput(role, "assumeRolePolicy") : undefined;
            }
            case "kafka":
                return fromInput(this.ofType("aws:msk/clusterPolicy:ClusterPolicy").find((p) => p.inputs.clusterArn === arn));
            default:
                return undefined;
        }
    }

    /** The KMS key a reference names: key ARN, key id, alias name or alias ARN. */
    key(ref: unknown): PlannedResource | undefined {
        if (typeof ref !== "string" || ref === "") return undefined;
        const keys = this.ofType("aws:kms/key:Key");
        const direct = keys.find((k) => this.arnOf(k) === ref || k.id === ref || k.outputs?.keyId === ref);
        if (direct) return direct;
        const aliasName = ref.includes(":alias/") ? ref.slice(ref.indexOf(":alias/") + 1) : ref;
        const alias = this.ofType("aws:kms/alias:Alias").find((a) => a.inputs.name === aliasName);
        return alias ? this.key(alias.inputs.targetKeyId) : undefined;
    }

    /** The ARN of the key a reference names, or the reference itself when the key is not in the plan. */
    keyArn(ref: unknown): string | undefined {
        const key = this.key(ref);
        if (key) return this.arnOf(key);
        return typeof ref === "string" && ref.startsWith("arn:") ? ref : undefined;
    }

    /** The bucket with this name. */
    bucket(name: string): PlannedResource | undefined {
        return this.ofType("aws:s3/bucket:Bucket").find((b) => (b.inputs.bucket ?? b.id) === name);
    }

    /** The bucket's default encryption: its KMS key (if SSE-KMS) and whether S3 bucket keys are on. */
    bucketEncryption(name: string): { keyArn?: string; bucketKey: boolean } | undefined {
        const config = this.ofType("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").find((c) => c.inputs.bucket === name);
        const rule = config?.inputs.rules?.[0] ?? this.bucket(name)?.inputs.serverSideEncryptionConfiguration?.rule;
        if (!rule) return undefined;
        const byDefault = rule.applyServerSideEncryptionByDefault ?? {};
        return {
            keyArn: byDefault.sseAlgorithm === "aws:kms" || byDefault.sseAlgorithm === "aws:kms:dsse" ? this.keyArn(byDefault.kmsMasterKeyId) : undefined,
            bucketKey: rule.bucketKeyEnabled === true,
        };
    }

    /** The bucket's lifecycle rules (companion resource or inline). */
    lifecycleRules(name: string): LifecycleRuleView[] {
        const config = this.ofType("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").find((c) => c.inputs.bucket === name);
        const rules: any[] = config?.inputs.rules ?? this.bucket(name)?.inputs.lifecycleRules ?? [];
        return rules.map((rule, i) => ({
            id: String(rule.id ?? `rule-${i}`),
            enabled: rule.status === undefined ? rule.enabled !== false : rule.status === "Enabled",
            prefix: String(rule.filter?.prefix ?? rule.filter?.and?.prefix ?? rule.prefix ?? ""),
            expirationDays: typeof rule.expiration?.days === "number" ? rule.expiration.days : Array.isArray(rule.expirations) ? rule.expirations[0]?.days : undefined,
            transitions: (rule.transitions ?? []).map((t: any) => ({ days: Number(t.days ?? 0), storageClass: String(t.storageClass) })),
        }));
    }

    /** Every Glue catalog table with its location and partition keys. */
    tables(): CatalogTableView[] {
        return this.ofType("aws:glue/catalogTable:CatalogTable").map((t) => ({
            resource: t,
            database: String(t.inputs.databaseName),
            name: String(t.inputs.name ?? t.outputs?.name),
            location: t.inputs.storageDescriptor?.location,
            partitionKeys: (t.inputs.partitionKeys ?? []).map((k: any) => String(k.name)),
        }));
    }

    /** The catalog table `database.name`. */
    table(database: unknown, name: unknown): CatalogTableView | undefined {
        return this.tables().find((t) => t.database === database && t.name === name);
    }

    /** The state machine's definition, parsed. */
    definitionOf(stateMachine: PlannedResource): any {
        try {
            return JSON.parse(String(stateMachine.inputs.definition));
        } catch {
            return undefined;
        }
    }
}
