import * as pulumi from "@pulumi/pulumi";
import { type ComponentNode, reportingComponents } from "./components";
import { type CostEstimate, type EstimateOptions, estimateCost, type PricedResource } from "./estimator";

interface Captured {
    type: string;
    name: string;
    props: pulumi.Inputs;
    parent?: pulumi.Resource;
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

    /** The transformation that records each resource; it never changes a resource. */
    readonly transformation: pulumi.ResourceTransformation = (args) => {
        if (!args.type.startsWith("pulumi:providers:")) {
            this.captured.push({ type: args.type, name: args.name, props: args.props, parent: args.opts.parent });
        }
        return undefined;
    };

    /** The estimate as an output, resolved once every captured input is known. */
    estimate(options: EstimateOptions): pulumi.Output<CostEstimate> {
        const custom = this.captured.filter((c) => !isComponent(c));
        const components = reportingComponents(custom.map(componentChain));
        return pulumi
            // Secret inputs (e.g. an admin user name) never reach a cost line, which holds only
            // quantities, prices and type names; unsecret so the estimate stays readable.
            .all(custom.map((c, i) => pulumi.unsecret(pulumi.output(c.props)).apply((inputs) => ({ type: c.type, name: c.name, inputs: inputs as Record<string, any>, component: components[i] }))))
            .apply((resources) =>
                estimateCost(
                    resources.map((r): PricedResource => ({ ...r, urn: `${r.type}::${r.name}` })),
                    options,
                ),
            );
    }
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
