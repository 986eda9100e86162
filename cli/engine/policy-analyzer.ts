import * as path from "node:path";
import { deprecationNotice, RENAMED_POLICIES } from "../../policies/lib/renames";
import { type PackLaunch, type PackProcess, spawnPack } from "./pack-process";
import type { ProgramRun, RecordedResource } from "./run-program";

/** Enforcement levels a policy config may set. */
export type EnforcementLevel = "advisory" | "mandatory" | "disabled" | "remediate";
const LEVELS: EnforcementLevel[] = ["advisory", "mandatory", "disabled", "remediate"];
const SEVERITIES = ["unspecified", "low", "medium", "high", "critical"];

/** A policy as the pack describes itself (GetAnalyzerInfo). */
export interface PackPolicy {
    name: string;
    level: EnforcementLevel;
    severity: string;
    description: string;
    /** Parameter names with their defaults, from the policy's config schema. */
    params: Record<string, unknown>;
    /** The policy offers a safe fix, so the `remediate` level is allowed. */
    remediable: boolean;
}

/** One diagnostic the pack returned. */
export interface PolicyDiagnostic {
    policy: string;
    level: EnforcementLevel;
    severity: string;
    urn: string;
    message: string;
}

/** What evaluating a plan against a pack produced. */
export interface PolicyEvaluation {
    pack: string;
    policies: PackPolicy[];
    diagnostics: PolicyDiagnostic[];
}

/** Raised when a policy config file names an unknown policy, parameter or level. */
export class PolicyConfigError extends Error {
    constructor(readonly lines: string[]) {
        super(lines.join("\n"));
        this.name = "PolicyConfigError";
    }
}

type Loaded = { pulumiProto: any; grpc: any; structproto: any; emptyproto: any };

/** The analyzer protocol and gRPC from the copy of @pulumi/pulumi this project uses. */
function loadProtocol(): Loaded {
    const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
    const fromPulumi = (id: string) => require(require.resolve(id, { paths: [pulumiDir] }));
    return {
        pulumiProto: { ...require("@pulumi/pulumi/proto/analyzer_pb"), grpc: require("@pulumi/pulumi/proto/analyzer_grpc_pb") },
        grpc: fromPulumi("@grpc/grpc-js"),
        structproto: fromPulumi("google-protobuf/google/protobuf/struct_pb"),
        emptyproto: fromPulumi("google-protobuf/google/protobuf/empty_pb"),
    };
}

/**
 * Starts a policy pack the way the Pulumi CLI does (its entry point prints the analyzer's port)
 * and talks to it over the engine's Analyzer gRPC interface. The pack's own @pulumi/policy code
 * does all the judging; this only feeds it what the engine would.
 */
export class PolicyPackServer {
    private constructor(
        private readonly pack: PackProcess,
        private readonly client: any,
        private readonly proto: Loaded,
    ) {}

    /**
     * Spawns the pack in `packDir` (bundled, under tsx, or as the Pulumi CLI does; see
     * {@link PackLaunch}) and connects to it.
     */
    static async start(packDir: string, timeoutMs = 60_000, launch: PackLaunch["launch"] = "bundle"): Promise<PolicyPackServer> {
        return PolicyPackServer.connect(spawnPack(packDir, { timeoutMs, launch }));
    }

    /** Connects to a pack already started; the pack is stopped if it never answers. */
    static async connect(pack: PackProcess): Promise<PolicyPackServer> {
        const proto = loadProtocol();
        try {
            const port = await pack.port;
            const client = new proto.pulumiProto.grpc.AnalyzerClient(`127.0.0.1:${port}`, proto.grpc.credentials.createInsecure());
            return new PolicyPackServer(pack, client, proto);
        } catch (err) {
            pack.stop();
            throw err;
        }
    }

    private call<T>(method: string, request: unknown): Promise<T> {
        return new Promise((resolve, reject) => {
            this.client[method](request, (err: Error | null, response: T) => (err ? reject(err) : resolve(response)));
        });
    }

    /** GetAnalyzerInfo: the pack's name, version and policies. */
    async info(): Promise<{ name: string; version: string; policies: PackPolicy[] }> {
        const info: any = await this.call("getAnalyzerInfo", new this.proto.emptyproto.Empty());
        return {
            name: info.getName(),
            version: info.getVersion(),
            policies: info.getPoliciesList().map((p: any) => {
                const schema = p.getConfigschema();
                const properties = schema?.getProperties()?.toJavaScript() ?? {};
                return {
                    name: p.getName(),
                    level: LEVELS[p.getEnforcementlevel()],
                    severity: SEVERITIES[p.getSeverity?.() ?? 0],
                    description: p.getDescription(),
                    params: Object.fromEntries(Object.entries(properties).map(([k, v]: [string, any]) => [k, v?.default ?? null])),
                    remediable: (p.getTagsList?.() ?? []).includes("remediation:safe"),
                };
            }),
        };
    }

    /** Configure: per-policy enforcement levels and parameters, as `--policy-pack-config` would. */
    async configure(config: Record<string, { level: EnforcementLevel; params: Record<string, unknown> }>): Promise<void> {
        const request = new this.proto.pulumiProto.ConfigureAnalyzerRequest();
        const map = request.getPolicyconfigMap();
        for (const [name, value] of Object.entries(config)) {
            const policyConfig = new this.proto.pulumiProto.PolicyConfig();
            policyConfig.setEnforcementlevel(LEVELS.indexOf(value.level));
            policyConfig.setProperties(this.proto.structproto.Struct.fromJavaScript(value.params));
            map.set(name, policyConfig);
        }
        await this.call("configure", request);
    }

    /**
     * Analyze (one resource, its inputs) for every custom resource, then AnalyzeStack. With
     * `remediate`, each resource first goes through Remediate, as the engine does, and is analysed
     * with the fixed properties; every fix is returned as a diagnostic at the `remediate` level.
     */
    async evaluate(run: Pick<ProgramRun, "resources" | "wire">, options: AnalysisOptions = {}): Promise<PolicyDiagnostic[]> {
        const analysis = this.analysis(options);
        for (const resource of run.resources) analysis.add(resource, run.wire);
        return analysis.finish(run);
    }

    /**
     * An evaluation fed as resources are registered, as the engine runs resource policies at each
     * step: {@link PackAnalysis.add} sends a resource's Remediate and Analyze at once, so the pack
     * judges while the program still runs; {@link PackAnalysis.finish} then runs the stack policies
     * over the whole (AnalyzeStack, after every step, as during `pulumi up`).
     */
    analysis(options: AnalysisOptions = {}): PackAnalysis {
        const remediable = options.remediableTypes ? new Set(options.remediableTypes) : undefined;
        return new PackAnalysis(
            (resource, provider, wire) => this.analyzeResource(resource, provider, wire, options.remediate === true && (!remediable || remediable.has(resource.type))),
            (run) => this.analyzeStack(run),
        );
    }

    private message(kind: "AnalyzeRequest" | "AnalyzerResource", r: RecordedResource, provider: RecordedResource | undefined, properties: Record<string, unknown>, providerInputs: Record<string, unknown> | undefined) {
        const P = this.proto.pulumiProto;
        const Struct = this.proto.structproto.Struct;
        const message = new P[kind]();
        message.setType(r.type);
        message.setName(r.name);
        message.setUrn(r.urn);
        message.setProperties(Struct.fromJavaScript(properties));
        const options = new P.AnalyzerResourceOptions();
        options.setProtect(r.protect);
        options.setParent(r.parent ?? "");
        // What the engine passes besides protect and parent (deploy-safety policies read them).
        options.setIgnorechangesList(r.options?.ignoreChanges ?? []);
        options.setAliasesList(r.aliases ?? []);
        options.setAdditionalsecretoutputsList(r.options?.additionalSecretOutputs ?? []);
        if (r.options?.deleteBeforeReplace !== undefined) {
            options.setDeletebeforereplace(r.options.deleteBeforeReplace);
            options.setDeletebeforereplacedefined(true);
        }
        message.setOptions(options);
        if (provider) {
            const providerMessage = new P.AnalyzerProviderResource();
            providerMessage.setType(provider.type);
            providerMessage.setName(provider.name);
            providerMessage.setUrn(provider.urn);
            providerMessage.setProperties(Struct.fromJavaScript(providerInputs ?? {}));
            message.setProvider(providerMessage);
        }
        return message;
    }

    private async analyzeResource(r: RecordedResource, provider: RecordedResource | undefined, wire: ProgramRun["wire"], remediate: boolean): Promise<PolicyDiagnostic[]> {
        const found: PolicyDiagnostic[] = [];
        const request = this.message("AnalyzeRequest", r, provider, wire.inputs.get(r.urn) ?? {}, provider && wire.inputs.get(provider.urn));
        let response: any;
        if (!remediate) {
            response = await this.call("analyze", request);
        } else {
            // Analyze goes out with Remediate, not after its answer: most resources need no fix, and
            // theirs is then the answer; the pack judges on while this process is busy elsewhere.
            // A fixed resource is analysed again, with the fixed properties, as the engine does.
            const asRegistered = this.call<any>("analyze", request);
            asRegistered.catch(() => undefined);
            const remediated: any = await this.call("remediate", request);
            let fixedProperties: unknown;
            for (const fix of remediated.getRemediationsList()) {
                const properties = fix.getProperties();
                if (!properties) continue;
                fixedProperties = properties;
                found.push({ policy: fix.getPolicyname(), level: "remediate", severity: "unspecified", urn: r.urn, message: `fixed: ${fix.getDescription()}` });
            }
            if (fixedProperties === undefined) {
                response = await asRegistered;
            } else {
                const fixed = this.message("AnalyzeRequest", r, provider, {}, provider && wire.inputs.get(provider.urn));
                fixed.setProperties(fixedProperties);
                response = await this.call("analyze", fixed);
            }
        }
        // Resource diagnostics carry no URN: they are about the resource analysed.
        for (const diagnostic of this.diagnostics(response)) found.push({ ...diagnostic, urn: diagnostic.urn || r.urn });
        return found;
    }

    private async analyzeStack(run: Pick<ProgramRun, "resources" | "wire">): Promise<PolicyDiagnostic[]> {
        const P = this.proto.pulumiProto;
        const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
        const stack = new P.AnalyzeStackRequest();
        stack.setResourcesList(
            run.resources
                .filter((r) => r.custom || r.type === "pulumi:pulumi:Stack")
                .map((r) => {
                    const provider = r.provider ? byUrn.get(r.provider) : undefined;
                    const resource = this.message("AnalyzerResource", r, provider, run.wire.state.get(r.urn) ?? run.wire.inputs.get(r.urn) ?? {}, provider && run.wire.inputs.get(provider.urn));
                    resource.setParent(r.parent ?? "");
                    resource.setDependenciesList(r.dependencies);
                    const deps = resource.getPropertydependenciesMap();
                    for (const [key, urns] of Object.entries(r.propertyDependencies)) {
                        const value = new P.AnalyzerPropertyDependencies();
                        value.setUrnsList(urns);
                        deps.set(key, value);
                    }
                    return resource;
                }),
        );
        return this.diagnostics(await this.call("analyzeStack", stack));
    }

    private diagnostics(response: any): PolicyDiagnostic[] {
        return response.getDiagnosticsList().map((d: any) => {
            // The library prefixes each message with the policy's description; keep the finding.
            const description = d.getDescription();
            const raw: string = d.getMessage();
            return {
                policy: d.getPolicyname(),
                level: LEVELS[d.getEnforcementlevel()],
                severity: SEVERITIES[d.getSeverity?.() ?? 0],
                urn: d.getUrn(),
                message: description && raw.startsWith(`${description}\n`) ? raw.slice(description.length + 1) : raw,
            };
        });
    }

    /** Stops the pack process. */
    close(): void {
        this.client.close();
        this.pack.stop();
    }
}

/** How an evaluation runs. */
export interface AnalysisOptions {
    /** Send Remediate before Analyze, as the engine does when a policy runs at the `remediate` level. */
    remediate?: boolean;
    /**
     * The only types the pack's remediations fix, when known (the blueprint's pack:
     * policies/remediable-types.ts): Remediate answers nothing for other types, so it is not sent.
     * @default every type
     */
    remediableTypes?: readonly string[];
}

/** The resources the pack judges one by one: custom resources other than providers. */
function judgedAlone(r: RecordedResource): boolean {
    return r.custom && !r.type.startsWith("pulumi:providers:");
}

/**
 * One evaluation of a run by the pack, fed resource by resource. A resource is sent as soon as it
 * is added, unless its explicit provider has not been added yet (the request carries the
 * provider's inputs); those go at {@link finish}. Every resource's requests are in flight at once:
 * the pack judges one while the next is on the wire. The diagnostics come out in the run's
 * resource order, then the stack's, whatever order the answers arrive in.
 */
export class PackAnalysis {
    private readonly added = new Map<string, RecordedResource>();
    private readonly sent = new Map<string, Promise<PolicyDiagnostic[]>>();

    constructor(
        private readonly analyzeResource: (resource: RecordedResource, provider: RecordedResource | undefined, wire: ProgramRun["wire"]) => Promise<PolicyDiagnostic[]>,
        private readonly analyzeStack: (run: Pick<ProgramRun, "resources" | "wire">) => Promise<PolicyDiagnostic[]>,
    ) {}

    /** A resource registered, with the run's wire form (which holds its inputs by then). */
    add(resource: RecordedResource, wire: ProgramRun["wire"]): void {
        this.added.set(resource.urn, resource);
        if (judgedAlone(resource) && (!resource.provider || this.added.has(resource.provider))) this.send(resource, wire);
    }

    /** Sends what is left, runs the stack policies, and returns every diagnostic. */
    async finish(run: Pick<ProgramRun, "resources" | "wire">): Promise<PolicyDiagnostic[]> {
        for (const resource of run.resources) this.added.set(resource.urn, resource);
        const perResource = run.resources.filter(judgedAlone).map((r) => this.sent.get(r.urn) ?? this.send(r, run.wire));
        const stack = this.analyzeStack(run);
        // Awaited below, after the resources' (whose failure is reported first).
        stack.catch(() => undefined);
        const diagnostics: PolicyDiagnostic[] = [];
        for (const found of await Promise.all(perResource)) diagnostics.push(...found);
        diagnostics.push(...(await stack));
        return diagnostics;
    }

    private send(resource: RecordedResource, wire: ProgramRun["wire"]): Promise<PolicyDiagnostic[]> {
        const provider = resource.provider ? this.added.get(resource.provider) : undefined;
        const answer = this.analyzeResource(resource, provider, wire);
        // Awaited in finish; a pack that fails before then is not an unhandled rejection.
        answer.catch(() => undefined);
        this.sent.set(resource.urn, answer);
        return answer;
    }
}

/**
 * Resolves a policy config document (the `--policy-pack-config` JSON format: `"all"` and per-policy
 * entries, each a level or `{ enforcementLevel, ...params }`) against the pack's policies: every
 * policy gets a level and its parameters with defaults filled in. An entry under a retired policy
 * name applies to the policies that replaced it (unless they have their own entry), and a
 * deprecation notice is added to `notices`.
 */
export function resolvePolicyConfig(
    document: unknown,
    policies: PackPolicy[],
    source: string,
    notices: string[] = [],
): Record<string, { level: EnforcementLevel; params: Record<string, unknown> }> {
    const errors: string[] = [];
    if (!document || typeof document !== "object" || Array.isArray(document)) throw new PolicyConfigError([`${source}: expected a JSON object of policy names`]);
    const entries = document as Record<string, unknown>;
    const byName = new Map(policies.map((p) => [p.name, p]));
    const levelOf = (key: string, value: unknown): EnforcementLevel | undefined => {
        if (value === undefined) return undefined;
        if (typeof value === "string" && (LEVELS as string[]).includes(value)) return value as EnforcementLevel;
        errors.push(`${source}: ${key}: got ${JSON.stringify(value)}; expected one of: ${LEVELS.join(", ")}`);
        return undefined;
    };
    const all = levelOf("all", typeof entries.all === "object" ? (entries.all as any)?.enforcementLevel : entries.all);
    const retiredFor = new Map<string, string>();
    for (const key of Object.keys(entries)) {
        if (key === "all" || byName.has(key)) continue;
        const renamed = RENAMED_POLICIES[key];
        if (renamed) {
            notices.push(`${source}: ${deprecationNotice(key)}`);
            for (const successor of renamed.replacedBy) if (!(successor in entries)) retiredFor.set(successor, key);
        } else {
            errors.push(`${source}: ${key}: no such policy in the pack`);
        }
    }
    const resolved: Record<string, { level: EnforcementLevel; params: Record<string, unknown> }> = {};
    for (const policy of policies) {
        const entry = entries[policy.name] ?? entries[retiredFor.get(policy.name) ?? ""];
        const object = entry && typeof entry === "object" ? (entry as Record<string, unknown>) : {};
        const explicit = levelOf(`${policy.name}.enforcementLevel`, typeof entry === "string" ? entry : object.enforcementLevel);
        let level = explicit ?? all ?? policy.level;
        if (level === "remediate" && !policy.remediable) {
            // "all": "remediate" applies the fix where one is safe and enforces the rest as mandatory.
            if (explicit) errors.push(`${source}: ${policy.name}: remediate is offered only by policies with a safe fix; use mandatory`);
            level = "mandatory";
        }
        const params: Record<string, unknown> = { ...policy.params };
        for (const [k, v] of Object.entries(object)) {
            if (k === "enforcementLevel") continue;
            if (!(k in policy.params)) errors.push(`${source}: ${policy.name}.${k}: unknown parameter; allowed: ${Object.keys(policy.params).join(", ") || "none"}`);
            else params[k] = v;
        }
        resolved[policy.name] = { level, params };
    }
    if (errors.length) throw new PolicyConfigError(errors);
    return resolved;
}
