import { zoneIdPrefix } from "../../lib/zones";
import { type MockTarget, synthesizeState } from "./mock-state";

/** Arguments of a mocked resource registration (the SDK's `MockResourceArgs`). */
export interface MockResourceArgs {
    type: string;
    name: string;
    inputs: any;
    provider?: string;
    custom?: boolean;
    id?: string;
}

/** Arguments of a mocked invoke (the SDK's `MockCallArgs`). */
export interface MockCallArgs {
    token: string;
    inputs: any;
    provider?: string;
}

/** Raised for an invoke the offline plan cannot answer truthfully. */
export class UnsupportedInvokeError extends Error {
    constructor(token: string) {
        super(`the offline plan cannot answer the data source ${token}; only account, Region, partition and AZ look-ups are simulated`);
        this.name = "UnsupportedInvokeError";
    }
}

/**
 * The SDK `Mocks` implementation of the offline plan: deterministic resource state, and answers
 * to the invokes a platform program makes to learn where it runs.
 */
export class OfflineMocks {
    /** Data sources the program called that the plan cannot answer, in call order, once each. */
    readonly unsupported: string[] = [];

    /**
     * @param preview Answer as the engine does during `pulumi preview` of a stack with no state:
     *     every resource is a create, whose provider echoes its inputs and leaves the id and every
     *     computed output (ARNs, generated names, endpoints) unknown until the update.
     */
    constructor(
        private readonly target: MockTarget,
        private readonly preview = false,
    ) {}

    newResource(args: MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
        if (!args.custom) return { id: undefined, state: args.inputs };
        // Providers keep an id: the SDK needs one to reference them, and no policy or cost reads it.
        if (args.type.startsWith("pulumi:providers:")) return { id: `${args.name}-provider`, state: args.inputs };
        // An empty id and the outputs left out are what the SDK resolves as unknown in a dry run.
        if (this.preview) return { id: undefined, state: args.inputs ?? {} };
        return synthesizeState(args.type, args.name, args.inputs ?? {}, this.target);
    }

    call(args: MockCallArgs): Record<string, unknown> {
        const t = this.target;
        switch (args.token) {
            case "aws:index/getCallerIdentity:getCallerIdentity":
                return {
                    accountId: t.accountId,
                    arn: t.runnerRoleArn ? runnerSessionArn(t.runnerRoleArn) : `arn:${t.partition}:iam::${t.accountId}:role/offline-plan`,
                    userId: "AROAOFFLINEPLAN:offline-plan",
                    id: t.accountId,
                };
            case "aws:index/getPartition:getPartition":
                return {
                    partition: t.partition,
                    dnsSuffix: t.partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com",
                    reverseDnsPrefix: t.partition === "aws-cn" ? "cn.com.amazonaws" : "com.amazonaws",
                    id: t.partition,
                };
            case "aws:index/getRegion:getRegion":
                return { name: t.region, region: t.region, id: t.region, description: t.region, endpoint: `ec2.${t.region}.amazonaws.com` };
            case "aws:index/getAvailabilityZones:getAvailabilityZones": {
                const letters = ["a", "b", "c", "d", "e", "f"];
                return {
                    id: t.region,
                    names: letters.map((l) => `${t.region}${l}`),
                    zoneIds: letters.map((_, i) => `${zoneIdPrefix(t.region)}-az${i + 1}`),
                    groupNames: letters.map(() => t.region),
                };
            }
            case "aws:iam/getSessionContext:getSessionContext": {
                const arn = String(args.inputs.arn ?? "");
                // The runner's role is known with its path, which an assumed-role ARN leaves out.
                if (t.runnerRoleArn && arn === runnerSessionArn(t.runnerRoleArn)) return { ...sessionContext(arn), issuerArn: t.runnerRoleArn };
                return sessionContext(arn);
            }
            case "aws:iam/getPolicyDocument:getPolicyDocument":
                return renderPolicyDocument(args.inputs);
            case "aws:index/getDefaultTags:getDefaultTags":
                return { tags: {}, id: "default-tags" };
            default:
                // The SDK reports a failed invoke without its message; remember it to name it.
                if (!this.unsupported.includes(args.token)) this.unsupported.push(args.token);
                throw new UnsupportedInvokeError(args.token);
        }
    }
}

/** The STS session ARN of a plan run as `roleArn` (an assumed-role ARN names the role without its path). */
export function runnerSessionArn(roleArn: string): string {
    const [, partition, account, , rolePath] = /^arn:([^:]+):iam::(\d{12}):role(\/(.*))?$/.exec(roleArn) ?? [];
    const name = (rolePath ?? "").split("/").pop();
    return `arn:${partition}:sts::${account}:assumed-role/${name}/offline-plan`;
}

/**
 * `aws.iam.getSessionContext` as IAM answers it: an STS assumed-role ARN resolves to its role (the
 * offline plan cannot know a role's path, so none); any other ARN is its own issuer.
 */
export function sessionContext(arn: string): Record<string, unknown> {
    const assumed = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/.exec(arn);
    if (!assumed) return { arn, issuerArn: arn, issuerName: arn.split("/").pop() ?? arn, sessionName: "", issuerId: "", id: arn };
    const [, partition, account, role, session] = assumed;
    return { arn, issuerArn: `arn:${partition}:iam::${account}:role/${role}`, issuerName: role, sessionName: session, issuerId: `AROA${account}`, id: arn };
}

/**
 * `aws.iam.getPolicyDocument` rendered locally, as the provider would: statements with their
 * principals, actions, resources and conditions, in IAM's JSON shape.
 */
export function renderPolicyDocument(inputs: any): Record<string, unknown> {
    const statements = (inputs.statements ?? []).map((s: any) => {
        const out: Record<string, unknown> = {};
        if (s.sid) out.Sid = s.sid;
        out.Effect = s.effect ?? "Allow";
        const principals = (list: any[] | undefined) => {
            if (!list?.length) return undefined;
            const byType: Record<string, string | string[]> = {};
            for (const p of list) {
                const ids = p.identifiers ?? [];
                if (p.type === "*" || (p.type === "AWS" && ids.length === 1 && ids[0] === "*" && list.length === 1)) return "*";
                byType[p.type] = ids.length === 1 ? ids[0] : ids;
            }
            return byType;
        };
        const principal = principals(s.principals);
        if (principal) out.Principal = principal;
        const notPrincipal = principals(s.notPrincipals);
        if (notPrincipal) out.NotPrincipal = notPrincipal;
        const one = (v: string[] | undefined) => (v && v.length === 1 ? v[0] : v);
        if (s.actions) out.Action = one(s.actions);
        if (s.notActions) out.NotAction = one(s.notActions);
        if (s.resources) out.Resource = one(s.resources);
        if (s.notResources) out.NotResource = one(s.notResources);
        if (s.conditions?.length) {
            const condition: Record<string, Record<string, string | string[]>> = {};
            for (const c of s.conditions) {
                condition[c.test] = { ...(condition[c.test] ?? {}), [c.variable]: one(c.values) as string | string[] };
            }
            out.Condition = condition;
        }
        return out;
    });
    const json = JSON.stringify({ Version: inputs.version ?? "2012-10-17", Statement: statements }, null, 2);
    return { json, minifiedJson: JSON.stringify(JSON.parse(json)), id: String(json.length) };
}
