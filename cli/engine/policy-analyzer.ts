import { type ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import { createInterface } from "node:readline";
import { deprecationNotice, RENAMED_POLICIES } from "../../policies/lib/renames";
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
        private readonly child: ChildProcess,
        private readonly client: any,
        private readonly proto: Loaded,
    ) {}

    /**
     * Spawns `<packDir>/index.ts` under tsx and connects to it; with `launch: "cli"`, runs the pack
     * as the Pulumi CLI does instead: from its own folder, through its own installed
     * `@pulumi/pulumi/cmd/run-policy-pack` (ts-node, type-checked), given an engine address
     * (which that entry point drops) and `.` as the program.
     */
    static async start(packDir: string, timeoutMs = 60_000, launch: "tsx" | "cli" = "tsx"): Promise<PolicyPackServer> {
        const proto = loadProtocol();
        const tsx = path.join(path.dirname(require.resolve("tsx/package.json")), "dist", "cli.mjs");
        const args = launch === "cli" ? [path.join(packDir, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack"), "127.0.0.1:0", "."] : [tsx, path.join(packDir, "index.ts")];
        const child = spawn(process.execPath, args, { cwd: packDir, stdio: ["ignore", "pipe", "pipe"] });
        let stderr = "";
        child.stderr?.on("data", (chunk) => {
            stderr += String(chunk);
        });
        const port = await new Promise<string>((resolve, reject) => {
            const timer = setTimeout(() => {
                child.kill();
                reject(new Error(`policy pack ${packDir} did not start within ${timeoutMs / 1000} s`));
            }, timeoutMs);
            const lines = createInterface({ input: child.stdout! });
            lines.once("line", (line) => {
                clearTimeout(timer);
                resolve(line.trim());
            });
            child.once("exit", (code) => {
                clearTimeout(timer);
                reject(new Error(`policy pack ${packDir} exited with code ${code}: ${stderr.trim().split("\n").pop()}`));
            });
        });
        const client = new proto.pulumiProto.grpc.AnalyzerClient(`127.0.0.1:${port}`, proto.grpc.credentials.createInsecure());
        return new PolicyPackServer(child, client, proto);
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
    async evaluate(run: Pick<ProgramRun, "resources" | "wire">, options: { remediate?: boolean } = {}): Promise<PolicyDiagnostic[]> {
        const P = this.proto.pulumiProto;
        const Struct = this.proto.structproto.Struct;
        const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
        const providerOf = (r: RecordedResource) => {
            const provider = r.provider ? byUrn.get(r.provider) : undefined;
            if (!provider) return undefined;
            const message = new P.AnalyzerProviderResource();
            message.setType(provider.type);
            message.setName(provider.name);
            message.setUrn(provider.urn);
            message.setProperties(Struct.fromJavaScript(run.wire.inputs.get(provider.urn) ?? {}));
            return message;
        };
        const optionsOf = (r: RecordedResource) => {
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
            return options;
        };
        const judged = run.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));

        const diagnostics: PolicyDiagnostic[] = [];
        const collect = (response: any, into: PolicyDiagnostic[]) => {
            for (const d of response.getDiagnosticsList()) {
                // The library prefixes each message with the policy's description; keep the finding.
                const description = d.getDescription();
                const raw: string = d.getMessage();
                const message = description && raw.startsWith(`${description}\n`) ? raw.slice(description.length + 1) : raw;
                into.push({
                    policy: d.getPolicyname(),
                    level: LEVELS[d.getEnforcementlevel()],
                    severity: SEVERITIES[d.getSeverity?.() ?? 0],
                    urn: d.getUrn(),
                    message,
                });
            }
        };

        // Every resource's requests go out at once rather than one round trip after another: the
        // pack judges one while the next is on the wire. The diagnostics keep the resources' order.
        const analyses = judged.map(async (r) => {
            const found: PolicyDiagnostic[] = [];
            const request = new P.AnalyzeRequest();
            request.setType(r.type);
            request.setName(r.name);
            request.setUrn(r.urn);
            request.setProperties(Struct.fromJavaScript(run.wire.inputs.get(r.urn) ?? {}));
            request.setOptions(optionsOf(r));
            const provider = providerOf(r);
            if (provider) request.setProvider(provider);
            if (options.remediate) {
                const remediated: any = await this.call("remediate", request);
                for (const fix of remediated.getRemediationsList()) {
                    const properties = fix.getProperties();
                    if (!properties) continue;
                    request.setProperties(properties);
                    found.push({ policy: fix.getPolicyname(), level: "remediate", severity: "unspecified", urn: r.urn, message: `fixed: ${fix.getDescription()}` });
                }
            }
            const response: any = await this.call("analyze", request);
            // Resource diagnostics carry no URN: they are about the resource analysed.
            const before = found.length;
            collect(response, found);
            for (let i = before; i < found.length; i++) found[i].urn ||= r.urn;
            return found;
        });

        const stack = new P.AnalyzeStackRequest();
        stack.setResourcesList(
            run.resources
                .filter((r) => r.custom || r.type === "pulumi:pulumi:Stack")
                .map((r) => {
                    const resource = new P.AnalyzerResource();
                    resource.setType(r.type);
                    resource.setName(r.name);
                    resource.setUrn(r.urn);
                    resource.setProperties(Struct.fromJavaScript(run.wire.state.get(r.urn) ?? run.wire.inputs.get(r.urn) ?? {}));
                    resource.setOptions(optionsOf(r));
                    resource.setParent(r.parent ?? "");
                    resource.setDependenciesList(r.dependencies);
                    const deps = resource.getPropertydependenciesMap();
                    for (const [key, urns] of Object.entries(r.propertyDependencies)) {
                        const value = new P.AnalyzerPropertyDependencies();
                        value.setUrnsList(urns);
                        deps.set(key, value);
                    }
                    const provider = providerOf(r);
                    if (provider) resource.setProvider(provider);
                    return resource;
                }),
        );
        const stackAnalysis = this.call("analyzeStack", stack);
        // Awaited below, after the resources' (whose failure is reported first).
        stackAnalysis.catch(() => undefined);
        for (const found of await Promise.all(analyses)) diagnostics.push(...found);
        collect(await stackAnalysis, diagnostics);
        return diagnostics;
    }

    /** Stops the pack process. */
    close(): void {
        this.client.close();
        this.child.kill();
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
