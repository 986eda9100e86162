import { bucketOfArn, parseArn } from "./arn";
import { allStates, s3ItemReader } from "./definition";
import type { PlannedResource, PlannedStack } from "./plan";
import { isUnknown, UNKNOWN, type UnknownValue } from "./unknown";

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

/** ARNs written out in inputs (policy documents, literal ARNs): where a preview's account and Region come from. */
const ARN_IN_TEXT = /arn:(aws[a-z-]*):[a-z0-9-]+:([a-z]{2}(?:-[a-z]+)+-\d)?:(\d{12}):/g;

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

    /** Planned as `pulumi preview` of a new stack: ids and computed outputs are unknown. */
    readonly preview: boolean;

    constructor(readonly plan: PlannedStack) {
        this.resources = plan.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
        this.preview = plan.mode === "preview" || this.resources.some((r) => isUnknown(r.id));
        const accounts = new Map<string, number>();
        const regions = new Map<string, number>();
        const count = (counts: Map<string, number>, key: string | undefined) => key && counts.set(key, (counts.get(key) ?? 0) + 1);
        let partition = "aws";
        for (const r of this.resources) {
            this.byType.set(r.type, [...(this.byType.get(r.type) ?? []), r]);
            const arn = this.arnOf(r);
            if (arn && !isUnknown(arn)) this.byArn.set(arn, r);
            const parsed = parseArn(arn);
            count(accounts, parsed?.account);
            count(regions, parsed?.region);
            if (parsed) partition = parsed.partition;
        }
        // A preview knows no resource ARN; the account and Region are still written in known inputs
        // (key and trust policies, literal ARNs) and in the provider's configuration.
        if (accounts.size === 0 || regions.size === 0) {
            for (const r of this.resources) {
                for (const match of JSON.stringify(r.inputs).matchAll(ARN_IN_TEXT)) {
                    partition = match[1];
                    if (match[2]) count(regions, match[2]);
                    if (match[3] !== "aws") count(accounts, match[3]);
                }
            }
            if (regions.size === 0) for (const p of plan.resources.filter((r) => r.type === "pulumi:providers:aws")) count(regions, typeof p.inputs.region === "string" ? p.inputs.region : undefined);
        }
        const most = (counts: Map<string, number>) => [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "";
        this.accountId = most(accounts);
        this.region = most(regions);
        this.partition = partition;
    }

    /** Whether the plan leaves a resource's id and computed outputs unknown (a preview's new resource). */
    outputsUnknown(resource: PlannedResource): boolean {
        return isUnknown(resource.id) || (this.preview && (resource.id === null || resource.id === undefined));
    }

    /**
     * Whether `value`, read from `property` of `resource`, refers to `target` (by ARN, id or name):
     * true or false when the plan says, undefined when the value is unknown and the plan does not
     * say where it came from. An unknown value refers to the resource it came from.
     */
    refersTo(resource: PlannedResource, property: string, value: unknown, target: PlannedResource): boolean | undefined {
        if (!isUnknown(value)) return typeof value === "string" && [this.arnOf(target), target.id, this.nameOf(target)].some((ref) => ref === value && !isUnknown(ref));
        const sources = resource.propertyDependencies?.[property];
        return sources === undefined ? undefined : sources.includes(target.urn);
    }

    /** The resources an input's value came from (the engine's property dependencies). */
    sourcesOf(resource: PlannedResource, property: string): string[] {
        return resource.propertyDependencies?.[property] ?? [];
    }

    /**
     * Whether an unknown reference in `property` of `resource` may be `target`: it came from the
     * target, or the plan does not say where it came from.
     */
    mayReference(resource: PlannedResource, property: string, target: PlannedResource): boolean {
        const sources = resource.propertyDependencies?.[property];
        return sources === undefined || sources.includes(target.urn);
    }

    /** Resources of a type, in plan order. */
    ofType(type: string): PlannedResource[] {
        return this.byType.get(type) ?? [];
    }

    /** A resource's ARN: its synthesized `arn` output, or an `arn` input. */
    arnOf(resource: PlannedResource): string | undefined {
        const arn = resource.outputs?.arn ?? resource.inputs.arn;
        if (typeof arn === "string") return arn;
        return this.outputsUnknown(resource) ? UNKNOWN : undefined;
    }

    /** The resource with this ARN. */
    findByArn(arn: string | undefined): PlannedResource | undefined {
        return arn && !isUnknown(arn) ? this.byArn.get(arn) : undefined;
    }

    /** The physical name of a resource: its `name` input or output, else its id. */
    nameOf(resource: PlannedResource): string | undefined {
        const name = resource.inputs.name ?? resource.outputs?.name ?? resource.id;
        return typeof name === "string" ? name : undefined;
    }

    /** The first resource of a type whose physical name, id or ARN is `ref`. */
    findByRef(type: string, ref: unknown): PlannedResource | undefined {
        if (typeof ref !== "string" || isUnknown(ref)) return undefined;
        return this.ofType(type).find((r) => this.nameOf(r) === ref || r.id === ref || this.arnOf(r) === ref);
    }

    /** The IAM role with this ARN. */
    role(arn: string): PlannedResource | undefined {
        return isUnknown(arn) ? undefined : this.ofType("aws:iam/role:Role").find((r) => this.arnOf(r) === arn);
    }

    /**
     * The identity policies of a role: inline policy resources, `inlinePolicies`, and attached
     * customer-managed policies. AWS-managed policies are not in a plan: their ARNs are returned
     * in `unresolved`, so a verdict can say it could not see them.
     */
    identityPolicies(roleArn: string): { policies: PolicySource[]; unresolved: string[]; unknown: UnknownValue[] } {
        const role = this.role(roleArn);
        if (!role) return isUnknown(roleArn) ? { policies: [], unresolved: [], unknown: [{ kind: "principal (role) ARN", detail: "the principal's ARN" }] } : this.attachedToOutsideRole(roleArn);
        const refs = new Set([this.nameOf(role), role.id, roleArn].filter((v): v is string => typeof v === "string" && !isUnknown(v)));
        const roleName = this.nameOf(role) ?? role.name;
        const policies: PolicySource[] = [];
        const unresolved: string[] = [];
        const unknown: UnknownValue[] = [];
        // A policy whose role reference is unknown belongs to this role when the reference came from
        // it; when the plan does not say where it came from, it may.
        const linked = (r: PlannedResource) => {
            if (refs.has(r.inputs.role)) return true;
            if (!isUnknown(r.inputs.role)) return false;
            if (r.propertyDependencies?.role === undefined) unknown.push({ kind: "policy document", detail: `the role ${r.name} applies to` });
            return this.sourcesOf(r, "role").includes(role.urn);
        };
        const add = (source: PlannedResource, property: string, name: string, value: unknown) => {
            const document = parsePolicy(value);
            if (document) policies.push({ urn: source.urn, property, name, document });
            else if (isUnknown(value)) unknown.push({ kind: "policy document", detail: `policy ${name} of role ${roleName}` });
        };
        for (const rp of this.ofType("aws:iam/rolePolicy:RolePolicy").filter(linked)) add(rp, "policy", this.nameOf(rp) ?? rp.name, rp.inputs.policy);
        (Array.isArray(role.inputs.inlinePolicies) ? role.inputs.inlinePolicies : []).forEach((inline: any, i: number) => {
            add(role, `inlinePolicies[${i}].policy`, String(inline?.name ?? `inline-${i}`), inline?.policy);
        });
        const managedPolicies = this.ofType("aws:iam/policy:Policy");
        const attached: { policyArn: unknown; from?: PlannedResource }[] = [
            ...this.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter(linked).map((a) => ({ policyArn: a.inputs.policyArn, from: a })),
            ...(Array.isArray(role.inputs.managedPolicyArns) ? role.inputs.managedPolicyArns : []).map((policyArn: unknown) => ({ policyArn })),
        ];
        for (const { policyArn, from } of attached) {
            // An unknown policy ARN is the policy of the plan it came from, when the engine says which.
            const sources = from && isUnknown(policyArn) ? this.sourcesOf(from, "policyArn") : [];
            const managed = isUnknown(policyArn) ? (sources.length === 1 ? managedPolicies.find((p) => p.urn === sources[0]) : undefined) : managedPolicies.find((p) => this.arnOf(p) === policyArn);
            if (managed) add(managed, "policy", this.nameOf(managed) ?? managed.name, managed.inputs.policy);
            else if (isUnknown(policyArn)) unknown.push({ kind: "policy document", detail: `a policy attached to role ${roleName}${from ? ` by ${from.name}` : ""}` });
            else if (typeof policyArn === "string") unresolved.push(AWS_MANAGED_POLICY.test(policyArn) ? policyArn : `${policyArn} (not in the plan)`);
        }
        return { policies, unresolved, unknown };
    }

    /**
     * The policies the plan attaches to a role it does not create (a persona's role, which lives
     * outside the stack): customer-managed policies of the plan attached by role name
     * (`RolePolicyAttachment`, `PolicyAttachment`) and inline `RolePolicy` documents on it. What
     * the role holds besides is not in the plan and is not counted.
     */
    private attachedToOutsideRole(roleArn: string): { policies: PolicySource[]; unresolved: string[]; unknown: UnknownValue[] } {
        const parsed = parseArn(roleArn);
        if (parsed?.service !== "iam" || !parsed.resource.startsWith("role/")) return { policies: [], unresolved: [], unknown: [] };
        const roleName = parsed.resource.split("/").pop()!;
        const policies: PolicySource[] = [];
        const unknown: UnknownValue[] = [];
        const managed = (policyArn: unknown) => this.ofType("aws:iam/policy:Policy").find((p) => this.arnOf(p) === policyArn);
        const add = (source: PlannedResource | undefined, name: string) => {
            if (!source) return;
            const document = parsePolicy(source.inputs.policy);
            if (document) policies.push({ urn: source.urn, property: "policy", name, document });
            else if (isUnknown(source.inputs.policy)) unknown.push({ kind: "policy document", detail: `policy ${name} of role ${roleName}` });
        };
        for (const a of this.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.inputs.role === roleName || a.inputs.role === roleArn)) {
            const policy = isUnknown(a.inputs.policyArn) ? this.ofType("aws:iam/policy:Policy").find((p) => this.sourcesOf(a, "policyArn").includes(p.urn)) : managed(a.inputs.policyArn);
            add(policy, policy ? (this.nameOf(policy) ?? policy.name) : "");
        }
        for (const a of this.ofType("aws:iam/policyAttachment:PolicyAttachment").filter((a) => Array.isArray(a.inputs.roles) && a.inputs.roles.includes(roleName))) {
            const policy = managed(a.inputs.policyArn);
            add(policy, policy ? (this.nameOf(policy) ?? policy.name) : "");
        }
        for (const rp of this.ofType("aws:iam/rolePolicy:RolePolicy").filter((rp) => rp.inputs.role === roleName)) add(rp, this.nameOf(rp) ?? rp.name);
        return { policies, unresolved: [], unknown };
    }

    /** The resource policy that governs access to an ARN (bucket, key, topic, queue, cluster policy). */
    resourcePolicy(arn: string): PolicySource | undefined {
        return this.resourcePolicyOf(arn).source;
    }

    /**
     * The resource policy that governs access to an ARN, and what the plan does not know about it:
     * a document built from unknown values, or a policy resource whose target reference is
     * unknown and may be this resource (a preview's bucket policy on `bucket.id`).
     */
    resourcePolicyOf(arn: string): { source?: PolicySource; unknown: UnknownValue[] } {
        const unknown: UnknownValue[] = [];
        const parsed = parseArn(arn);
        if (!parsed) return { unknown };
        const fromInput = (r: PlannedResource | undefined, property = "policy"): PolicySource | undefined => {
            if (!r) return undefined;
            const name = `${r.type.split(":").pop()} ${this.nameOf(r) ?? r.name}`;
            const document = parsePolicy(r.inputs[property]);
            if (!document && isUnknown(r.inputs[property])) unknown.push({ kind: "resource policy", detail: `the document of ${name}` });
            return document ? { urn: r.urn, property, name, document } : undefined;
        };
        // Policy resources of `type` whose reference to their target (`property`) is unknown and may be `target`.
        const unknownTarget = (type: string, property: string, target: PlannedResource | undefined) => {
            for (const p of this.ofType(type).filter((p) => isUnknown(p.inputs[property]))) {
                if (!target || this.mayReference(p, property, target)) unknown.push({ kind: "resource policy", detail: `the ${property} ${p.type.split(":").pop()} ${p.name} applies to` });
            }
        };
        const first = (type: string, property: string, value: unknown, target: PlannedResource | undefined) => {
            const found = this.ofType(type).find((p) => p.inputs[property] === value);
            if (!found) unknownTarget(type, property, target);
            return fromInput(found);
        };
        let source: PolicySource | undefined;
        switch (parsed.service) {
            case "s3": {
                const bucket = bucketOfArn(arn)!;
                source = first("aws:s3/bucketPolicy:BucketPolicy", "bucket", bucket, this.bucket(bucket)) ?? fromInput(this.bucket(bucket));
                break;
            }
            case "kms":
                source = fromInput(this.key(arn));
                break;
            case "sns":
                source = first("aws:sns/topicPolicy:TopicPolicy", "arn", arn, this.findByArn(arn)) ?? fromInput(this.findByArn(arn));
                break;
            case "sqs": {
                const queue = this.findByArn(arn);
                const url = queue?.outputs?.url ?? queue?.id;
                source = first("aws:sqs/queuePolicy:QueuePolicy", "queueUrl", url, queue) ?? fromInput(queue);
                break;
            }
            case "iam": {
                const role = this.role(arn);
                source = role ? fromInput(role, "assumeRolePolicy") : undefined;
                break;
            }
            case "kafka":
                source = first("aws:msk/clusterPolicy:ClusterPolicy", "clusterArn", arn, this.findByArn(arn));
                break;
        }
        return { source, unknown };
    }

    /** The KMS key a reference names: key ARN, key id, alias name or alias ARN. */
    key(ref: unknown): PlannedResource | undefined {
        if (typeof ref !== "string" || ref === "" || isUnknown(ref)) return undefined;
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
        return typeof ref === "string" && (ref.startsWith("arn:") || isUnknown(ref)) ? ref : undefined;
    }

    /** The bucket with this name. */
    bucket(name: string): PlannedResource | undefined {
        return this.ofType("aws:s3/bucket:Bucket").find((b) => (b.inputs.bucket ?? b.id) === name);
    }

    /** The bucket's default encryption: its KMS key (if SSE-KMS) and whether S3 bucket keys are on. */
    bucketEncryption(name: string): { keyArn?: string; bucketKey: boolean } | undefined {
        const configs = this.ofType("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration");
        const config = configs.find((c) => c.inputs.bucket === name);
        const rule = config?.inputs.rules?.[0] ?? this.bucket(name)?.inputs.serverSideEncryptionConfiguration?.rule;
        if (!rule) {
            // A preview's configuration on `bucket.id` may be this bucket's: its key is then unknown, so the hops that need it wait.
            const bucket = this.bucket(name);
            return configs.some((c) => isUnknown(c.inputs.bucket) && (!bucket || this.mayReference(c, "bucket", bucket))) ? { keyArn: UNKNOWN, bucketKey: false } : undefined;
        }
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
            // An Iceberg table created by Glue (openTableFormatInput) has no storage descriptor in the program.
            location: t.inputs.storageDescriptor?.location ?? t.inputs.openTableFormatInput?.icebergInput?.icebergTableInput?.location,
            partitionKeys: (t.inputs.partitionKeys ?? []).map((k: any) => String(k.name)),
        }));
    }

    /** The catalog table `database.name`. */
    table(database: unknown, name: unknown): CatalogTableView | undefined {
        return this.tables().find((t) => t.database === database && t.name === name);
    }

    /**
     * The state machine's definition, parsed, with the items of a Map whose ItemReader reads a JSON
     * object this plan writes inlined as its `Items`: what its iterations receive, so their tasks
     * resolve per item as a literal list's do.
     */
    definitionOf(stateMachine: PlannedResource): any {
        let definition: any;
        try {
            definition = JSON.parse(String(stateMachine.inputs.definition));
        } catch {
            return undefined;
        }
        for (const [, state] of allStates(definition?.States)) {
            const reader = s3ItemReader(state);
            if (reader?.inputType !== "JSON") continue;
            const items = this.jsonObjectContent(reader.bucket, reader.key);
            if (Array.isArray(items)) state.Items = items;
        }
        return definition;
    }

    /** The parsed JSON content of an S3 object the plan writes (`bucket`, `key`), if it writes it. */
    private jsonObjectContent(bucket: unknown, key: unknown): unknown {
        const object = this.resources.find((r) => (r.type === "aws:s3/bucketObjectv2:BucketObjectv2" || r.type === "aws:s3/bucketObject:BucketObject") && r.inputs.key === key && r.inputs.bucket === bucket);
        if (typeof object?.inputs.content !== "string") return undefined;
        try {
            return JSON.parse(object.inputs.content);
        } catch {
            return undefined;
        }
    }
}
