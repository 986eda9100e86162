import type * as pulumi from "@pulumi/pulumi";

/**
 * What the environment wants done with stateful resources (data, keys, logs). Components never
 * ask which stack they are in; they read these two settings.
 */
export interface DataProtection {
    /** Mark stateful resources with Pulumi's `protect`, so no update or destroy can delete them. */
    protect: boolean;
    /**
     * Both destroy switches were set in config. Only then are buckets `forceDestroy` and stateful
     * resources deleted (not retained) when removed from the program.
     */
    removeDataOnDestroy: boolean;
}

/** Resource options for a stateful resource: protected and/or retained as the environment says. */
export function statefulOptions(protection: DataProtection): pulumi.CustomResourceOptions {
    return { protect: protection.protect, retainOnDelete: !protection.removeDataOnDestroy };
}
