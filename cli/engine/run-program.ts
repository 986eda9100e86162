import * as path from "node:path";
import type { MockTarget } from "./mock-state";
import { OfflineMocks } from "./offline-mocks";
import { sanitizeValue } from "./sanitize";

/** One resource registration as the engine would have received it. */
export interface RecordedResource {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    /** URN of the parent resource; the stack for top-level resources. */
    parent: string | null;
    /** URN of the explicit provider, or null for the default provider. */
    provider: string | null;
    /** Inputs as sent to the engine, with secrets masked. */
    inputs: Record<string, unknown>;
    /** Physical id, as the mocks synthesize it (null for components). */
    id: string | null;
    /**
     * Outputs the provider would add to the inputs (ARNs, generated names, endpoints), as the mocks
     * synthesize them, secrets masked: with `id`, what resolves ARNs and names to resources.
     */
    outputs: Record<string, unknown>;
    protect: boolean;
    retainOnDelete: boolean;
    /** URNs this resource depends on (explicit `dependsOn` and those its inputs came from). */
    dependencies: string[];
    /** Per input property, the URNs its value came from. */
    propertyDependencies: Record<string, string[]>;
    /**
     * Earlier URNs the engine would match this resource against: its own aliases and those it
     * inherits from its parent's, resolved as the engine does (`generateAliases`).
     */
    aliases: string[];
    /** The other resource options the engine receives, where set. */
    options: ResourceOptionsRecord;
}

/** Resource options of a registration that change how the engine creates, updates or deletes it. */
export interface ResourceOptionsRecord {
    ignoreChanges?: string[];
    replaceOnChanges?: string[];
    deleteBeforeReplace?: boolean;
    additionalSecretOutputs?: string[];
    customTimeouts?: { create?: string; update?: string; delete?: string };
    /** URN of the resource whose deletion deletes this one. */
    deletedWith?: string;
}

/** What running a program offline produced. */
export interface ProgramRun {
    project: string;
    stack: string;
    resources: RecordedResource[];
    /** Stack outputs, with secrets masked. */
    outputs: Record<string, unknown>;
    /**
     * The engine's wire form of each resource's inputs and resulting state (secrets still marked,
     * not masked), for feeding a policy pack exactly what the engine would. Never written out.
     */
    wire: { inputs: Map<string, Record<string, unknown>>; state: Map<string, Record<string, unknown>> };
    /** What ran the program: the Node.js version and the program's own @pulumi/pulumi version. */
    runtime: { node: string; pulumi: string };
    /**
     * `up`: every output known, as after an update; `preview`: as `pulumi preview` of a new stack,
     * ids and computed outputs unknown.
     */
    mode: PlanMode;
}

/** How the program was run: as `pulumi up` sees it, or as `pulumi preview` does. */
export type PlanMode = "up" | "preview";

/** Options of {@link runProgram}. */
export interface RunProgramOptions {
    /** Directory of the Pulumi program (holds its own `node_modules/@pulumi/pulumi`). */
    programDir: string;
    /** Entry module, relative to the program directory. */
    main: string;
    project: string;
    stack: string;
    /** Flattened Pulumi config, `namespace:key` → string, as `pulumi up` hands it to programs. */
    config: Record<string, string>;
    /** Config keys holding secrets; their values are masked in the plan. */
    secretKeys?: string[];
    /** Account and Region the mocks pretend to deploy into. */
    target: MockTarget;
    /** Run as `pulumi preview` does (computed outputs unknown); default `up`. */
    mode?: PlanMode;
    /**
     * Called with each resource as it is registered, with the run's wire form (its inputs already
     * in it): how a policy pack judges while the program still runs. Must not throw.
     */
    onRecorded?: (resource: RecordedResource, wire: ProgramRun["wire"]) => void;
}

/** A failure of the program itself (not of the plan tooling): reported without a stack trace. */
export class ProgramError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ProgramError";
    }
}

type Callback = (err: unknown, response?: any) => void;

/**
 * Runs a Pulumi program under the SDK's mock engine and records every registration with the
 * options the engine would see (parent, provider, protect, retainOnDelete, dependencies).
 *
 * The mocks are installed on the program's own copy of `@pulumi/pulumi`, resolved from its
 * directory: a program with its own `node_modules` would otherwise talk to a different runtime
 * and bypass them. Runs once per process: the SDK's runtime state is global.
 */
export async function runProgram(options: RunProgramOptions): Promise<ProgramRun> {
    const requireFromProgram = (id: string) => require(require.resolve(id, { paths: [options.programDir] }));
    const pulumi = requireFromProgram("@pulumi/pulumi");
    const mode = options.mode ?? "up";
    const recorder = installRecordingMocks(options.programDir, options.project, options.stack, options.target, {
        config: options.config,
        secretKeys: options.secretKeys,
        preview: mode === "preview",
        onRecorded: options.onRecorded,
    });

    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on("unhandledRejection", onRejection);
    // A failed invoke inside an output's serialisation surfaces as an exception thrown from a
    // callback; contain it so it is reported, not a crash with the SDK's stack trace.
    process.on("uncaughtException", onRejection);
    const unsupported = () =>
        recorder.unsupportedCalls.length > 0
            ? new ProgramError(
                  `the program calls ${recorder.unsupportedCalls.map((t) => `the data source ${t}`).join(", ")}, which the offline plan does not simulate (it answers account, Region, partition, AZ, session and policy-document look-ups); pass the value in through stack config for the plan, or run pulumi preview against an account`,
              )
            : undefined;
    // The SDK captures a stack trace for every promise it creates (debuggablePromise, kept only for
    // its leak report) and every resource (Resource.callsites, for source positions; it lifts the
    // frame limit itself), each frame formatted and, with tsx's source maps on, mapped: a third of
    // the program's CPU time. The plan records no source positions and reports a program error by
    // its message, so the run keeps no frames and maps none.
    const { stackTraceLimit } = Error;
    const sourceMaps = process.sourceMapsEnabled;
    Error.stackTraceLimit = 0;
    process.setSourceMapsEnabled(false);
    try {
        const entry = path.resolve(options.programDir, options.main);
        await untilSettledOrExplained(pulumi.runtime.runInPulumiStack(async () => require(entry)), () => unsupported());
        await untilSettledOrExplained(recorder.settle(), () => unsupported());
        // Let failed applies surface as rejections before judging the run.
        await new Promise((resolve) => setImmediate(resolve));
    } catch (err) {
        throw unsupported() ?? asProgramError(err);
    } finally {
        Error.stackTraceLimit = stackTraceLimit;
        process.setSourceMapsEnabled(sourceMaps);
    }
    // After a failure the handlers stay (runProgram runs once per process): an invoke the plan could
    // not answer may still reject later, and it is explained here, never left to crash the process.
    // After a clean run they go, so a later error in the plan itself is not swallowed.
    const explained = unsupported();
    if (explained) throw explained;
    if (rejections.length > 0) throw asProgramError(rejections[0]);
    process.off("unhandledRejection", onRejection);
    process.off("uncaughtException", onRejection);

    const resources = [...recorder.resources].sort((a, b) => a.urn.localeCompare(b.urn));
    const pulumiVersion: string = requireFromProgram("@pulumi/pulumi/package.json").version;
    return {
        project: options.project,
        stack: options.stack,
        resources,
        outputs: recorder.stackOutputs(),
        wire: recorder.wire,
        runtime: { node: process.version, pulumi: pulumiVersion },
        mode,
    };
}

/** Live view of what the mock engine has recorded so far. */
export interface Recorder {
    /** Registrations in arrival order. */
    readonly resources: RecordedResource[];
    /** Outputs registered on the root stack resource. */
    stackOutputs(): Record<string, unknown>;
    /** Resolves once every outstanding registration has been answered. */
    settle(): Promise<void>;
    /** Wire-form inputs and state by URN. */
    readonly wire: ProgramRun["wire"];
    /** Data sources the program called that the offline plan does not simulate. */
    readonly unsupportedCalls: readonly string[];
}

/**
 * Installs the offline mocks with a recording monitor on the `@pulumi/pulumi` copy that
 * `programDir` resolves, before any resource module is loaded. Also used by the component tests.
 */
export function installRecordingMocks(
    programDir: string,
    project: string,
    stack: string,
    target: MockTarget,
    config: { config?: Record<string, string>; secretKeys?: string[]; preview?: boolean; onRecorded?: RunProgramOptions["onRecorded"] } = {},
): Recorder {
    const requireFromProgram = (id: string) => require(require.resolve(id, { paths: [programDir] }));
    const pulumi = requireFromProgram("@pulumi/pulumi");
    const { MockMonitor } = requireFromProgram("@pulumi/pulumi/runtime/mocks");
    const { getStore } = requireFromProgram("@pulumi/pulumi/runtime/state");
    const rpc = requireFromProgram("@pulumi/pulumi/runtime/rpc");
    const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [programDir] }));
    const { Struct } = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [pulumiDir] }));

    const resources: RecordedResource[] = [];
    const wire: ProgramRun["wire"] = { inputs: new Map(), state: new Map() };
    const aliasesByUrn = new Map<string, string[]>();
    /** Stack transforms, in registration order, and each resource's own and inherited transforms. */
    const stackTransforms: Transform[] = [];
    const transformsByUrn = new Map<string, Transform[]>();
    let outputs: Record<string, unknown> = {};

    class RecordingMonitor extends MockMonitor {
        constructor(mocks: OfflineMocks) {
            super(mocks);
        }

        /**
         * URNs as the engine writes them: the parent's whole qualified type chain, and no type for
         * the root stack. (The SDK's mock keeps only the parent's last type, stack included, so its
         * URNs would not match a real stack's state, which aliases and policies refer to.)
         */
        newUrn(parent: string, type: string, name: string): string {
            return makeUrn(stack, project, parent || undefined, type, name);
        }

        /** A stack transform applies to every resource registered after it, as in the engine. */
        registerStackTransform(req: any, callback: Callback): void {
            const transform = this.transformCallbacks.get(req.getToken());
            if (transform) stackTransforms.push(transform);
            callback(null, {});
        }

        registerResource(req: any, callback: Callback): Promise<void> {
            // The engine runs a resource's own transforms, then its ancestors', then the stack's,
            // before it registers the resource; the mock hands them to the mocks instead.
            const own = req
                .getTransformsList()
                .map((cb: any) => this.transformCallbacks.get(cb.getToken()))
                .filter((t: Transform | undefined) => t !== undefined);
            const lineage: Transform[] = [...own, ...(transformsByUrn.get(req.getParent()) ?? [])];
            const transforms = [...lineage, ...stackTransforms];
            const register = () => this.registerTransformed(req, lineage, callback);
            return transforms.length === 0 ? register() : applyTransforms(req, transforms, rpc, Struct).then(register, (err) => callback(err));
        }

        private registerTransformed(req: any, lineage: Transform[], callback: Callback): Promise<void> {
            return super.registerResource(req, (err: unknown, response: any) => {
                if (!err && response) {
                    const urn = response.getUrn();
                    transformsByUrn.set(urn, lineage);
                    const aliases = resolveAliases(req, urn, project, stack, aliasesByUrn);
                    aliasesByUrn.set(urn, aliases);
                    // Converted from the wire once each; the record and the pack's feed only read them.
                    const inputs = req.getObject()?.toJavaScript() ?? {};
                    const state = response.getObject()?.toJavaScript() ?? {};
                    const recorded = record(req, urn, aliases, response, inputs, state);
                    resources.push(recorded);
                    wire.inputs.set(urn, inputs);
                    wire.state.set(urn, state);
                    config.onRecorded?.(recorded, wire);
                }
                // Answered on a later turn of the event loop, as the engine's answers arrive over
                // gRPC: the program's registrations otherwise run as one chain of promise jobs that
                // starves I/O, and the resources handed to the policy pack (onRecorded) would not
                // reach it until the program ended (measured: the pack idle for the whole run).
                setImmediate(() => callback(err, response));
            });
        }

        registerResourceOutputs(req: any, callback: Callback): void {
            const urn: string = req.getUrn();
            if (urn.split("::")[2] === "pulumi:pulumi:Stack") {
                const raw = req.getOutputs()?.toJavaScript() ?? {};
                outputs = sanitizeValue(raw) as Record<string, unknown>;
                // Stack policies see the root stack resource with its outputs as properties.
                wire.state.set(urn, raw);
            }
            super.registerResourceOutputs(req, callback);
        }
    }

    pulumi.runtime.setAllConfig(config.config ?? {}, config.secretKeys ?? []);
    const mocks = new OfflineMocks(target, config.preview === true);
    // In a dry run the SDK resolves what the mocks leave out (ids, computed outputs) as unknown,
    // skips applies over unknowns and invokes with unknown arguments, as under `pulumi preview`.
    pulumi.runtime.setMockOptions(new RecordingMonitor(mocks), project, stack, config.preview === true);
    // The feature switches `setMocks` turns on; transforms are applied by the recording monitor.
    Object.assign(getStore(), {
        supportsSecrets: true,
        supportsResourceReferences: true,
        supportsOutputValues: false,
        supportsDeletedWith: true,
        supportsAliasSpecs: true,
        supportsTransforms: true,
    });

    return {
        resources,
        stackOutputs: () => outputs,
        settle: () => pulumi.runtime.waitForRPCs(),
        unsupportedCalls: mocks.unsupported,
        wire,
    };
}

function record(req: any, urn: string, aliases: string[], response: any, wireInputs: Record<string, unknown>, wireState: Record<string, unknown>): RecordedResource {
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((deps: any, key: string) => {
        propertyDependencies[key] = [...deps.getUrnsList()].sort();
    });
    const sortedKeys = Object.keys(propertyDependencies).sort();
    return {
        urn,
        type: req.getType(),
        name: req.getName(),
        custom: req.getCustom(),
        parent: req.getParent() || null,
        provider: providerUrn(req.getProvider()),
        inputs: withoutSerializedProvider(sanitizeValue(wireInputs) as Record<string, unknown>),
        id: req.getCustom() ? response.getId() || null : null,
        outputs: req.getCustom() ? synthesizedOutputs(wireInputs, wireState) : {},
        protect: req.getProtect() === true,
        retainOnDelete: req.getRetainondelete() === true,
        dependencies: [...new Set<string>(req.getDependenciesList())].sort(),
        propertyDependencies: Object.fromEntries(sortedKeys.map((k) => [k, propertyDependencies[k]])),
        aliases,
        options: recordOptions(req),
    };
}

/** A `transforms` callback as the program registered it (`pulumi.ResourceTransform`). */
type Transform = (args: { type: string; name: string; custom: boolean; props: Record<string, unknown>; opts: Record<string, unknown> }) => any;

/**
 * Runs transforms over a registration request as the engine would (each sees the previous one's
 * result) and writes the resulting inputs and options back into the request.
 */
async function applyTransforms(req: any, transforms: Transform[], rpc: any, Struct: any): Promise<void> {
    let props: Record<string, unknown> = req.getObject() ? rpc.deserializeProperties(req.getObject()) : {};
    let opts: Record<string, any> = {
        protect: req.getProtect(),
        retainOnDelete: req.getRetainondelete(),
        ignoreChanges: req.getIgnorechangesList(),
        replaceOnChanges: req.getReplaceonchangesList(),
        additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
        ...(req.getDeletebeforereplacedefined() ? { deleteBeforeReplace: req.getDeletebeforereplace() } : {}),
    };
    for (const transform of transforms) {
        const result = await transform({ type: req.getType(), name: req.getName(), custom: req.getCustom(), props, opts: { ...opts } });
        if (!result) continue;
        props = result.props ?? props;
        opts = result.opts ?? opts;
    }
    req.setObject(Struct.fromJavaScript(await rpc.serializeProperties("props", props)));
    if (opts.protect !== undefined) req.setProtect(opts.protect);
    if (opts.retainOnDelete !== undefined) req.setRetainondelete(opts.retainOnDelete);
    req.setIgnorechangesList(opts.ignoreChanges ?? []);
    req.setReplaceonchangesList(opts.replaceOnChanges ?? []);
    req.setAdditionalsecretoutputsList(opts.additionalSecretOutputs ?? []);
    if (opts.deleteBeforeReplace !== undefined) {
        req.setDeletebeforereplace(opts.deleteBeforeReplace);
        req.setDeletebeforereplacedefined(true);
    }
}

/** A dynamic resource carries its provider's serialized code as an input: the plan names it instead. */
function withoutSerializedProvider(inputs: Record<string, unknown>): Record<string, unknown> {
    return typeof inputs.__provider === "string" ? { ...inputs, __provider: "[serialized dynamic provider]" } : inputs;
}

/** The state keys the provider adds or changes beyond the inputs, sanitized and sorted. */
function synthesizedOutputs(inputs: Record<string, unknown>, state: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(state).sort()) {
        if (JSON.stringify(state[key]) !== JSON.stringify(inputs[key])) out[key] = sanitizeValue(state[key]);
    }
    return out;
}

function recordOptions(req: any): ResourceOptionsRecord {
    const options: ResourceOptionsRecord = {};
    const list = (values: string[]) => (values.length > 0 ? [...values] : undefined);
    const ignoreChanges = list(req.getIgnorechangesList());
    if (ignoreChanges) options.ignoreChanges = ignoreChanges;
    const replaceOnChanges = list(req.getReplaceonchangesList());
    if (replaceOnChanges) options.replaceOnChanges = replaceOnChanges;
    if (req.getDeletebeforereplacedefined()) options.deleteBeforeReplace = req.getDeletebeforereplace();
    const additionalSecretOutputs = list(req.getAdditionalsecretoutputsList());
    if (additionalSecretOutputs) options.additionalSecretOutputs = additionalSecretOutputs;
    const timeouts = req.getCustomtimeouts();
    if (timeouts) {
        const set = Object.entries({ create: timeouts.getCreate(), update: timeouts.getUpdate(), delete: timeouts.getDelete() }).filter(([, v]) => v);
        if (set.length > 0) options.customTimeouts = Object.fromEntries(set);
    }
    if (req.getDeletedwith()) options.deletedWith = req.getDeletedwith();
    return options;
}

const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/** `urn:pulumi:<stack>::<project>::<parent types$><type>::<name>`, the root stack adding no type. */
function makeUrn(stack: string, project: string, parentUrn: string | undefined, type: string, name: string): string {
    const parentType = parentUrn ? parentUrn.split("::")[2] : undefined;
    const qualified = parentType && parentType !== ROOT_STACK_TYPE ? `${parentType}$${type}` : type;
    return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/**
 * The aliases the engine derives for a registration: each alias (a URN, or a spec whose missing
 * parts default to the resource's own) and, for each alias of its parent, the inherited child
 * alias (the parent's old URN as parent, and the parent's old name swapped in where the child's
 * name starts with the parent's).
 */
function resolveAliases(req: any, urn: string, project: string, stack: string, aliasesByUrn: Map<string, string[]>): string[] {
    const type: string = req.getType();
    const name: string = req.getName();
    const parent: string = req.getParent();
    const out = new Set<string>(req.getAliasurnsList());
    for (const alias of req.getAliasesList()) {
        if (alias.getUrn()) {
            out.add(alias.getUrn());
            continue;
        }
        const spec = alias.getSpec();
        if (!spec) continue;
        const aliasParent = spec.getNoparent() ? undefined : spec.getParenturn() || parent || undefined;
        out.add(makeUrn(spec.getStack() || stack, spec.getProject() || project, aliasParent, spec.getType() || type, spec.getName() || name));
    }
    const parentName = parent ? parent.split("::").pop()! : "";
    for (const parentAlias of parent ? (aliasesByUrn.get(parent) ?? []) : []) {
        const aliasParentName = parentAlias.split("::").pop()!;
        const childName = name.startsWith(parentName) ? aliasParentName + name.slice(parentName.length) : name;
        out.add(makeUrn(stack, project, parentAlias, type, childName));
    }
    out.delete(urn);
    return [...out].sort();
}

/** A provider reference is `<urn>::<id>`; the plan keeps the URN. */
function providerUrn(reference: string): string | null {
    if (!reference) return null;
    const idSeparator = reference.lastIndexOf("::");
    return idSeparator > 0 ? reference.slice(0, idSeparator) : reference;
}

/** A program failure is reported by its message alone, never its stack trace. */
/**
 * Waits for a step of the program; when a data source the plan cannot answer was called, the
 * step may never settle (its outputs stay pending), so the wait ends with that explanation.
 */
async function untilSettledOrExplained<T>(step: Promise<T>, explanation: () => Error | undefined, pollMs = 200, graceMs = 3000): Promise<T> {
    let since: number | undefined;
    let timer: NodeJS.Timeout | undefined;
    const stuck = new Promise<never>((_, reject) => {
        const check = () => {
            const error = explanation();
            if (error) {
                since ??= Date.now();
                if (Date.now() - since >= graceMs) return reject(error);
            }
            timer = setTimeout(check, pollMs);
        };
        timer = setTimeout(check, pollMs);
    });
    try {
        return await Promise.race([step, stuck]);
    } finally {
        if (timer) clearTimeout(timer);
    }
}

function asProgramError(err: unknown): Error {
    return new ProgramError(err instanceof Error ? err.message : String(err));
}
