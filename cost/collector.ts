import * as pulumi from "@pulumi/pulumi";
import { type CostEstimate, type EstimateOptions, estimateCost, type PricedResource } from "./estimator";

interface Captured {
    type: string;
    name: string;
    props: pulumi.Inputs;
    parent?: pulumi.Resource;
}

/**
 * Captures every resource the program declares (type, name, inputs, parent) through a stack
 * transformation, so the estimate prices what is really declared. Register it before any resource
 * is created. (The newer `transforms` API is avoided: it hangs under the SDK's mocks.)
 */
export class DeclaredResources {
    private readonly captured: Captured[] = [];

    constructor() {
        pulumi.runtime.registerStackTransformation((args) => {
            if (args.type.startsWith("pulumi:providers:")) return undefined;
            this.captured.push({ type: args.type, name: args.name, props: args.props, parent: args.opts.parent });
            return undefined;
        });
    }

    /** The estimate as an output, resolved once every captured input is known. */
    estimate(options: EstimateOptions): pulumi.Output<CostEstimate> {
        const custom = this.captured.filter((c) => !isComponent(c));
        return pulumi
            // Secret inputs (e.g. an admin user name) never reach a cost line, which holds only
            // quantities, prices and type names; unsecret so the estimate stays readable.
            .all(custom.map((c) => pulumi.unsecret(pulumi.output(c.props)).apply((inputs) => ({ type: c.type, name: c.name, inputs: inputs as Record<string, any>, component: componentOf(c) }))))
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

/** The top-level component a resource belongs to, `<name> (<type>)`, or `(stack)`. */
function componentOf(c: Captured): string {
    let node: any = c.parent;
    let top: any;
    while (node && node.__pulumiType !== "pulumi:pulumi:Stack") {
        top = node;
        node = node.__parentResource;
    }
    return top ? `${top.__name} (${top.__pulumiType})` : "(stack)";
}
