/**
 * A small test kit that hands policies exactly what the engine would: for resource policies the
 * props, options (protect, parent…), the provider's props (default tags) and `getConfig`; for stack
 * policies every resource with its dependencies and property dependencies as resource objects.
 */
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import type { ProgramRun, RecordedResource } from "../../cli/engine/run-program";
import { recordedResource } from "../helpers/recorded-resource";
import { POLICIES } from "../../policies/catalog";

export class NotApplicable extends Error {}

/** A resource in a test stack; `deps` names, per property, the resources its value came from. */
export interface KitResource {
    type: string;
    name: string;
    props?: Record<string, any>;
    deps?: Record<string, string[]>;
    protect?: boolean;
    ignoreChanges?: string[];
    providerProps?: Record<string, any>;
}

export function policyNamed(name: string): ResourceValidationPolicy | StackValidationPolicy {
    const policy = POLICIES.find((p) => p.name === name);
    if (!policy) throw new Error(`no policy ${name}`);
    return policy;
}

const urnOf = (r: KitResource) => `urn:pulumi:test::kit::${r.type}::${r.name}`;

/** Runs a resource policy on one resource; returns the violation messages. */
export async function checkResource(name: string, resource: KitResource, config: Record<string, unknown> = {}): Promise<string[]> {
    const policy = policyNamed(name) as ResourceValidationPolicy;
    if (!policy.validateResource) throw new Error(`${name} is not a resource policy`);
    const messages: string[] = [];
    const validations = [policy.validateResource].flat();
    for (const validate of validations) {
        await validate(
            {
                type: resource.type,
                name: resource.name,
                urn: urnOf(resource),
                props: resource.props ?? {},
                opts: { protect: resource.protect ?? false, ignoreChanges: resource.ignoreChanges ?? [], aliases: [], additionalSecretOutputs: [] } as any,
                provider: resource.providerProps ? ({ type: "pulumi:providers:aws", name: "aws", urn: "urn:provider", props: resource.providerProps } as any) : undefined,
                getConfig: () => config as any,
                notApplicable: (reason?: string) => {
                    throw new NotApplicable(reason);
                },
                isType: () => false,
                asType: () => undefined,
                stackTags: new Map() as any,
            } as any,
            // @pulumi/policy's report takes a message or a diagnostic object (the pack reports what
            // it could not judge as an object at the advisory level).
            (message: string | { message: string }) => messages.push(typeof message === "string" ? message : message.message),
        );
    }
    return messages;
}

/** Runs a stack policy on a set of resources; returns `[resource name, message]` pairs. */
export async function checkStack(name: string, resources: KitResource[], config: Record<string, unknown> = {}): Promise<[string, string][]> {
    const policy = policyNamed(name) as StackValidationPolicy;
    if (!policy.validateStack) throw new Error(`${name} is not a stack policy`);
    const built = new Map<string, PolicyResource>();
    for (const r of resources) {
        built.set(r.name, {
            type: r.type,
            name: r.name,
            urn: urnOf(r),
            props: r.props ?? {},
            opts: { protect: r.protect ?? false, ignoreChanges: r.ignoreChanges ?? [] } as any,
            dependencies: [],
            propertyDependencies: {},
            provider: r.providerProps ? ({ type: "pulumi:providers:aws", name: "aws", urn: "urn:provider", props: r.providerProps } as any) : undefined,
            isType: () => false,
            asType: () => undefined,
        } as any);
    }
    for (const r of resources) {
        const target = built.get(r.name)!;
        for (const [prop, names] of Object.entries(r.deps ?? {})) {
            const sources = names.map((n) => {
                const source = built.get(n);
                if (!source) throw new Error(`unknown dependency ${n}`);
                return source;
            });
            target.propertyDependencies[prop] = sources;
            target.dependencies.push(...sources);
        }
    }
    const byUrn = new Map([...built.values()].map((r) => [r.urn, r.name]));
    const findings: [string, string][] = [];
    await policy.validateStack(
        { resources: [...built.values()], getConfig: () => config as any, notApplicable: () => undefined, stackTags: new Map() as any } as any,
        (message: string | { message: string; urn?: string }, urn?: string) => {
            const [text, about] = typeof message === "string" ? [message, urn] : [message.message, message.urn];
            findings.push([about ? (byUrn.get(about) ?? about) : "(stack)", text]);
        },
    );
    return findings;
}

/**
 * The kit's resources as a recorded program run, for feeding the pack through the analyzer
 * protocol exactly as the engine does (inputs on the wire, options, provider, dependencies).
 */
export function recordedRun(resources: KitResource[]): Pick<ProgramRun, "resources" | "wire"> {
    const urns = new Map(resources.map((r) => [r.name, urnOf(r)]));
    const recorded: RecordedResource[] = [];
    const wire: ProgramRun["wire"] = { inputs: new Map(), state: new Map() };
    for (const r of resources) {
        let provider: string | null = null;
        if (r.providerProps) {
            provider = `urn:pulumi:test::kit::pulumi:providers:aws::provider-of-${r.name}`;
            recorded.push(recordedResource(provider, "pulumi:providers:aws", `provider-of-${r.name}`, {}, []));
            wire.inputs.set(provider, r.providerProps);
        }
        const deps = Object.fromEntries(Object.entries(r.deps ?? {}).map(([prop, names]) => [prop, names.map((n) => urns.get(n) ?? n)]));
        const resource = recordedResource(urnOf(r), r.type, r.name, deps, r.ignoreChanges ?? []);
        resource.provider = provider;
        resource.protect = r.protect ?? false;
        recorded.push(resource);
        // The engine never sends undefined: an omitted property is absent.
        wire.inputs.set(resource.urn, JSON.parse(JSON.stringify(r.props ?? {})));
    }
    return { resources: recorded, wire };
}

