import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
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
 * A service role and its inline policy. `arn` and `name` resolve only once the policy exists too, so
 * whatever is given the role (a Glue job, a crawler, a delivery stream, a function, a state machine,
 * a schedule, a Redshift cluster, a Lake Formation registration) depends on its grants and never
 * starts, or is validated by its service, before them: IAM applies an inline policy only once
 * PutRolePolicy has returned, and Pulumi would otherwise run both in parallel.
 */
export interface ServiceRoleResources {
    /** The role's ARN, once its inline policy exists. */
    arn: pulumi.Output<string>;
    /** The role's name, once its inline policy exists. */
    name: pulumi.Output<string>;
    /** The role itself. */
    role: aws.iam.Role;
    /** Its inline policy. */
    policy: aws.iam.RolePolicy;
}

/**
 * Every service role of the platform is made here: a trust policy scoped to this account and an
 * inline policy of named actions, so confused-deputy protection and least privilege are not
 * left to each component.
 */
export function createServiceRole(name: string, args: ServiceRoleArgs, opts: pulumi.CustomResourceOptions): ServiceRoleResources {
    const role = new aws.iam.Role(
        name,
        { ...(args.roleName ? { name: args.roleName } : {}), ...(args.tags ? { tags: args.tags } : {}), description: args.description, assumeRolePolicy: serviceTrustPolicy(args.service, args.account.accountId, args.sourceArn) },
        opts,
    );
    const policy = new aws.iam.RolePolicy(name, { role: role.id, policy: policyDocument(args.statements) }, opts);
    const afterPolicy = (value: pulumi.Output<string>) => pulumi.all([value, policy.id]).apply(([v]) => v);
    return { arn: afterPolicy(role.arn), name: afterPolicy(role.name), role, policy };
}
