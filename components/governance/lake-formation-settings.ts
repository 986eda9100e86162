import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Arguments of {@link LakeFormationSettings}. */
export interface LakeFormationSettingsArgs {
    /** Lake Formation administrators (role or user ARNs); never empty. */
    administrators: string[];
    /**
     * The identity that deploys the stack (an IAM role or user ARN, not an STS session ARN). It is
     * always made an administrator too: Lake Formation refuses LF-Tags, tag assignments, grants and
     * data cells filters from a principal that is not one, so settings that replaced the
     * administrators with the configured list alone would lock the deployment out of its own grants.
     * @default none (only `administrators`)
     */
    deployer?: pulumi.Input<string>;
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

    constructor(name: string, args: LakeFormationSettingsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lakehouse:governance:LakeFormationSettings", name, {}, opts);
        if (args.administrators.length === 0) throw new pulumi.RunError(`LakeFormationSettings ${name}: at least one administrator is required`);
        if (args.manage ?? true) {
            this.settings = new aws.lakeformation.DataLakeSettings(
                name,
                {
                    admins: pulumi.output(args.deployer).apply((deployer) => [...new Set([...args.administrators, ...(deployer ? [deployer] : [])])]),
                    createDatabaseDefaultPermissions: [],
                    createTableDefaultPermissions: [],
                    trustedResourceOwners: args.trustedResourceOwners ?? [],
                    parameters: { CROSS_ACCOUNT_VERSION: String(args.crossAccountVersion ?? 4) },
                },
                { parent: this, retainOnDelete: true, protect: args.protectSettings ?? true },
            );
        }
        this.registerOutputs({ administrators: args.administrators });
    }
}
