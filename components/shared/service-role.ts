import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { AccountContext } from "./naming";
import { type PolicyStatement, policyDocument, serviceTrustPolicy } from "./policy-document";

/** Settings of a role that one AWS service assumes. */
export interface ServiceRoleArgs {
    /** What the role is for, shown in the console. */
    description: string;
    /** Service principal(s), e.g. `glue.amazonaws.com`. */
    service: string | string[];
    /** Account the trust is scoped to (`aws:SourceAccount`). */
    account: AccountContext;
    /**
     * `aws:SourceArn` pattern narrowing the trust further.
     * @default none (the trust is scoped to the account only)
     */
    sourceArn?: pulumi.Input<string>;
    /** The role's permissions: named actions on named resources. */
    statements: PolicyStatement[];
    /**
     * Fixed IAM role name, for roles other tools must find by name (e.g. Lake Formation grants the
     * drift audit checks). Without it Pulumi auto-names the role.
     * @default auto-named
     */
    roleName?: string;
    /**
     * Tags of the role, for services that read principal tags (e.g. Redshift's `RedshiftDbRoles`).
     * @default none beyond the provider's default tags
     */
    tags?: Record<string, string>;
}

/**
 * Every service role of the platform is made here: a trust policy scoped to this account and an
 * inline policy of named actions, so confused-deputy protection and least privilege are not
 * left to each component.
 */
export function createServiceRole(name: string, args: ServiceRoleArgs, opts: pulumi.CustomResourceOptions): aws.iam.Role {
    const role = new aws.iam.Role(
        name,
        { ...(args.roleName ? { name: args.roleName } : {}), ...(args.tags ? { tags: args.tags } : {}), description: args.description, assumeRolePolicy: serviceTrustPolicy(args.service, args.account.accountId, args.sourceArn) },
        opts,
    );
    new aws.iam.RolePolicy(name, { role: role.id, policy: policyDocument(args.statements) }, opts);
    return role;
}
