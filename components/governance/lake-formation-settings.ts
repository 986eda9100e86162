import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Arguments of {@link LakeFormationSettings}. */
export interface LakeFormationSettingsArgs {
    /**
     * Lake Formation administrators (role or user ARNs), the role that deploys the stack among them;
     * never empty. Lake Formation refuses LF-Tags, tag assignments, grants and data cells filters
     * from a principal that is not one.
     */
    administrators: string[];
    /**
     * Roles of the stack itself that act as administrators: the IAM_ALLOWED_PRINCIPALS revocation
     * function's, since Lake Formation lets only an administrator revoke. They are fixed roles of
     * the stack, not its deployer, so the settings do not change with who deploys, and the runner
     * is not checked against them. Pass each role's ARN output: Lake Formation refuses an
     * administrator that does not exist yet ("invalid principal"), so the settings wait for it.
     * Where another stack owns the settings (`manage: false`), that stack must name them.
     * @default []
     */
    stackAdministrators?: pulumi.Input<string>[];
    /**
     * The identity running this deployment (an IAM role or user ARN, not an STS session ARN). It must
     * be one of `administrators`, or the component fails: otherwise the settings would either lock
     * the deployment out of its own grants or, if it were added, change with whoever runs `pulumi up`
     * (a person after CI would produce a diff).
     * @default not checked
     */
    runner?: pulumi.Input<string>;
    /**
     * Cross-account grant protocol version (1-4).
     * @default 4
     */
    crossAccountVersion?: number;
    /**
     * Accounts whose resources this account trusts.
     * @default []
     */
    trustedResourceOwners?: string[];
    /**
     * Manage the account-wide settings. There is ONE DataLakeSettings per account and Region: set
     * false where another stack (e.g. an account baseline) owns it; this component then creates nothing.
     * @default true
     */
    manage?: boolean;
    /**
     * `protect` the settings (they are always retained on delete, whatever `removeDataOnDestroy`
     * says: they are account-wide, and deleting them resets the account's administrators), so no
     * destroy, rename or replacement can reach them (the
     * `dep-lake-formation-settings-protected` policy sees `protect`; the engine does not show
     * policies `retainOnDelete`). Off only where stacks are destroyed routinely.
     * @default true
     */
    protectSettings?: boolean;
}

/**
 * The account's Lake Formation settings: named administrators, and no default permissions for
 * IAM_ALLOWED_PRINCIPALS on new databases and tables, so IAM alone never bypasses Lake Formation.
 * Create it before any catalog database, so none is born open to IAM_ALLOWED_PRINCIPALS.
 */
export class LakeFormationSettings extends pulumi.ComponentResource {
    /** The settings resource, for `dependsOn` (undefined when not managed here). */
    public readonly settings?: aws.lakeformation.DataLakeSettings;
    /** The administrators, the stack's own among them, once the identity running the deployment is known to be one of them. */
    public readonly administrators: pulumi.Output<string[]>;

    constructor(name: string, args: LakeFormationSettingsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lakehouse:governance:LakeFormationSettings", name, {}, opts);
        if (args.administrators.length === 0) throw new pulumi.RunError(`LakeFormationSettings ${name}: at least one administrator is required`);
        const administrators = [...new Set(args.administrators)];
        // The check rides on the settings' input (or on the outputs when another stack owns the
        // settings), so a preview by anyone else fails before a single grant is attempted.
        const checked = pulumi.output(args.runner).apply((runner) => {
            if (runner !== undefined && !administrators.includes(runner)) {
                throw new pulumi.RunError(
                    `lakehouse:governance: this deployment runs as ${runner}, which is neither deployerRoleArn nor one of administrators (${administrators.join(", ")}); ` +
                        "Lake Formation refuses its grants, and making it an administrator would change the settings with whoever deploys: run pulumi up as the deployer role",
                );
            }
            return administrators;
        });
        const admins = pulumi.all([checked, pulumi.all(args.stackAdministrators ?? [])]).apply(([named, stack]) => [...new Set([...named, ...stack])]);
        if (args.manage ?? true) {
            this.settings = new aws.lakeformation.DataLakeSettings(
                name,
                {
                    admins,
                    createDatabaseDefaultPermissions: [],
                    createTableDefaultPermissions: [],
                    trustedResourceOwners: args.trustedResourceOwners ?? [],
                    parameters: { CROSS_ACCOUNT_VERSION: String(args.crossAccountVersion ?? 4) },
                },
                { parent: this, retainOnDelete: true, protect: args.protectSettings ?? true },
            );
        }
        this.administrators = admins;
        this.registerOutputs({ administrators: admins });
    }
}
