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
    protect: boolean;
    retainOnDelete: boolean;
    /** URNs this resource depends on (explicit `dependsOn` and those its inputs came from). */
    dependencies: string[];
    /** Per input property, the URNs its value came from. */
    propertyDependencies: Record<string, string[]>;
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
}

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
    const recorder = installRecordingMocks(options.programDir, options.project, options.stack, options.target, {
        config: options.config,
        secretKeys: options.secretKeys,
    });

    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on("unhandledRejection", onRejection);
    try {
        const entry = path.resolve(options.programDir, options.main);
        await pulumi.runtime.runInPulumiStack(async () => require(entry));
        await recorder.settle();
        // Let failed applies surface as rejections before judging the run.
        await new Promise((resolve) => setImmediate(resolve));
    } catch (err) {
        throw asProgramError(err);
    } finally {
        process.off("unhandledRejection", onRejection);
    }
    if (rejections.length > 0) throw asProgramError(rejections[0]);

    const resources = [...recorder.resources].sort((a, b) => a.urn.localeCompare(b.urn));
    return { project: options.project, stack: options.stack, resources, outputs: recorder.stackOutputs(), wire: recorder.wire };
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
    config: { config?: Record<string, string>; secretKeys?: string[] } = {},
): Recorder {
    const requireFromProgram = (id: string) => require(require.resolve(id, { paths: [programDir] }));
    const pulumi = requireFromProgram("@pulumi/pulumi");
    const { MockMonitor } = requireFromProgram("@pulumi/pulumi/runtime/mocks");
    const { getStore } = requireFromProgram("@pulumi/pulumi/runtime/state");

    const resources: RecordedResource[] = [];
    const wire: ProgramRun["wire"] = { inputs: new Map(), state: new Map() };
    let outputs: Record<string, unknown> = {};

    class RecordingMonitor extends MockMonitor {
        constructor(mocks: OfflineMocks) {
            super(mocks);
        }

        registerResource(req: any, callback: Callback): Promise<void> {
            return super.registerResource(req, (err: unknown, response: any) => {
                if (!err && response) {
                    const urn = response.getUrn();
                    resources.push(record(req, urn));
                    wire.inputs.set(urn, req.getObject()?.toJavaScript() ?? {});
                    wire.state.set(urn, response.getObject()?.toJavaScript() ?? {});
                }
                callback(err, response);
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
    pulumi.runtime.setMockOptions(new RecordingMonitor(new OfflineMocks(target)), project, stack, false);
    // The same feature switches `setMocks` turns on, minus `transforms` (they hang under mocks).
    Object.assign(getStore(), {
        supportsSecrets: true,
        supportsResourceReferences: true,
        supportsOutputValues: false,
        supportsDeletedWith: true,
        supportsAliasSpecs: true,
        supportsTransforms: false,
    });

    return {
        resources,
        stackOutputs: () => outputs,
        settle: () => pulumi.runtime.waitForRPCs(),
        wire,
    };
}

function record(req: any, urn: string): RecordedResource {
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
        inputs: sanitizeValue(req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>,
        protect: req.getProtect() === true,
        retainOnDelete: req.getRetainondelete() === true,
        dependencies: [...new Set<string>(req.getDependenciesList())].sort(),
        propertyDependencies: Object.fromEntries(sortedKeys.map((k) => [k, propertyDependencies[k]])),
    };
}

/** A provider reference is `<urn>::<id>`; the plan keeps the URN. */
function providerUrn(reference: string): string | null {
    if (!reference) return null;
    const idSeparator = reference.lastIndexOf("::");
    return idSeparator > 0 ? reference.slice(0, idSeparator) : reference;
}

/** A program failure is reported by its message alone, never its stack trace. */
function asProgramError(err: unknown): Error {
    return new ProgramError(err instanceof Error ? err.message : String(err));
}
