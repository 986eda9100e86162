import * as pulumi from "@pulumi/pulumi";
import { type ComponentNode, reportingComponents } from "./components";
import { type CostEstimate, type EstimateOptions, estimateCost, type PricedResource } from "./estimator";

interface Captured {
    type: string;
    name: string;
    props: pulumi.Inputs;
    parent?: pulumi.Resource;
}

/** An estimate that also names the declared inputs it needed but could not know (a preview). */
export type CollectedEstimate = CostEstimate & {
    /**
     * `<type>::<name>: <input path>` of every input the pricing read that was not known when the
     * program ran (during `pulumi preview`, a value computed from a resource not yet created).
     * Each is priced as if absent, and the estimate is then not complete. Empty under `up`.
     */
    unknownInputs: string[];
};

/** Stands for an input whose value is not known yet (a computed output of a resource to create). */
class UnknownInput {
    constructor(
        /** Type and name of the captured resources the value comes from. */
        readonly sources: string[],
    ) {}
}

/**
 * Captures the resources a component declares (type, name, inputs, parent) through a resource
 * transformation, so the estimate prices what is really declared. Pass {@link transformation} in
 * the `transformations` option of the outermost component: it then sees that component's whole
 * tree, and nothing else the program declares.
 *
 * The in-process `transformations` API is used rather than `transforms`: a `transforms` callback
 * runs in the engine after the inputs resolve, while the estimate is an output of the program
 * that must be built from the inputs as declared, identically under the engine and the mocks.
 */
export class DeclaredResources {
    private readonly captured: Captured[] = [];
    /** Captured resources by the resource object, to name the source of an unknown input. */
    private readonly byResource = new Map<pulumi.Resource, string>();

    /** The transformation that records each resource; it never changes a resource. */
    readonly transformation: pulumi.ResourceTransformation = (args) => {
        if (!args.type.startsWith("pulumi:providers:")) {
            this.captured.push({ type: args.type, name: args.name, props: args.props, parent: args.opts.parent });
            this.byResource.set(args.resource, `${args.type}::${args.name}`);
        }
        return undefined;
    };

    /**
     * The estimate as an output. Each input is awaited on its own, known or not: a price depends on
     * declared sizes, counts and schedules, never on ids or ARNs, which stay unknown until the
     * update during `pulumi preview`. The estimate is therefore known in a preview that creates
     * resources (when cost rises), and `unknownInputs` names any input it read that was not.
     */
    estimate(options: EstimateOptions): pulumi.Output<CollectedEstimate> {
        const custom = this.captured.filter((c) => !isComponent(c));
        const components = reportingComponents(custom.map(componentChain));
        const estimated = Promise.all(custom.map((c) => this.settled(c.props))).then((settled) => {
            const read = new Set<string>();
            const resources = custom.map(
                (c, i): PricedResource => ({
                    type: c.type,
                    name: c.name,
                    urn: `${c.type}::${c.name}`,
                    component: components[i],
                    inputs: readingView(settled[i] as Record<string, any>, (path) => read.add(`${c.type}::${c.name}: ${path}`)),
                    references: referencesOf(settled[i] as Record<string, unknown>),
                }),
            );
            const estimate = estimateCost(resources, options);
            const unknownInputs = [...read].sort();
            // A line left without an amount because an input it needed is unknown is named in
            // unknownInputs, not counted as depending on usage the profile could give.
            const waiting = new Set(unknownInputs.map((entry) => entry.split(": ")[0]));
            const usageDependent = estimate.usageDependent.filter((entry) => !estimate.lines.some((l) => l.monthly === null && waiting.has(l.urn) && entry === `${l.priceKey}: ${l.item} on ${l.urn.split("::").pop()}`));
            return { ...estimate, usageDependent, complete: estimate.unpriced.length === 0 && usageDependent.length === 0 && unknownInputs.length === 0, unknownInputs };
        });
        // Secret inputs (e.g. an admin user name) never reach a cost line, which holds only
        // quantities, prices and type names: the estimate is a plain, readable output.
        return pulumi.output(estimated);
    }

    /**
     * An input tree with every output awaited: known values in place, unknown ones (during a
     * preview) replaced by an {@link UnknownInput} naming where they come from.
     */
    private async settled(value: unknown): Promise<unknown> {
        if (pulumi.Output.isInstance(value)) {
            // `isKnown`, `promise` and `resources` are the SDK's own members of every output
            // (what it serializes resource inputs with); the public API offers only `apply`,
            // which never runs over an unknown value.
            const output = value as any;
            if (!(await output.isKnown)) return new UnknownInput(this.sourcesOf(output));
            return this.settled(await output.promise());
        }
        if (value instanceof Promise) return this.settled(await value);
        if (Array.isArray(value)) return Promise.all(value.map((v) => this.settled(v)));
        if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
            const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await this.settled(v)] as const));
            return Object.fromEntries(entries);
        }
        return value;
    }

    private sourcesOf(output: any): string[] {
        const resources: Set<pulumi.Resource> = typeof output.resources === "function" ? output.resources() : new Set();
        return [...resources].map((r) => this.byResource.get(r)).filter((s): s is string => s !== undefined);
    }
}

/** Top-level inputs that are unknown, with the resources their value comes from. */
function referencesOf(inputs: Record<string, unknown>): Record<string, string[]> | undefined {
    const entries = Object.entries(inputs).filter(([, v]) => v instanceof UnknownInput && v.sources.length > 0);
    return entries.length ? Object.fromEntries(entries.map(([k, v]) => [k, (v as UnknownInput).sources])) : undefined;
}

/**
 * The inputs as the estimator reads them: an unknown input reads as absent, and each read of one
 * is reported with its path, so a price that needed it is named rather than silently wrong.
 */
function readingView(value: Record<string, any>, onUnknown: (path: string) => void, path: string[] = []): any {
    return new Proxy(value, {
        get(target, key, receiver) {
            const field = Reflect.get(target, key, receiver);
            if (typeof key === "symbol") return field;
            const at = [...path, key];
            if (field instanceof UnknownInput) {
                onUnknown(`${at.join(".")}${field.sources.length ? ` (from ${field.sources.join(", ")})` : ""}`);
                return undefined;
            }
            const desc = Object.getOwnPropertyDescriptor(target, key);
            if (desc && "value" in desc && desc.configurable === false && desc.writable === false) return field;
            return field && typeof field === "object" ? readingView(field, onUnknown, at) : field;
        },
    });
}

function isComponent(c: Captured): boolean {
    // Provider-backed resources have a package prefix with a module (`aws:s3/bucket:Bucket`);
    // component tokens of this program are `lakehouse:<module>:<Type>`.
    return !c.type.includes("/");
}

/** The component ancestors of a captured resource, outermost first (the stack excluded). */
function componentChain(c: Captured): ComponentNode[] {
    const chain: ComponentNode[] = [];
    let node: any = c.parent;
    while (node && node.__pulumiType !== "pulumi:pulumi:Stack") {
        chain.unshift({ name: node.__name, type: node.__pulumiType });
        node = node.__parentResource;
    }
    return chain;
}
