import * as pulumi from "@pulumi/pulumi";

/** One IAM / resource policy statement, in the JSON shape AWS reads. */
export interface PolicyStatement {
    /** Statement id, unique in the document. */
    Sid?: string;
    /** `Allow` or `Deny`. */
    Effect: "Allow" | "Deny";
    /** Who the statement applies to (resource policies only). */
    Principal?: "*" | Record<string, pulumi.Input<string> | pulumi.Input<string>[]>;
    /** Actions, by name; never `*` on `*`. */
    Action: string | string[];
    /** Resources the actions apply to. */
    Resource?: pulumi.Input<string> | pulumi.Input<string>[];
    /** Conditions, by operator and key. */
    Condition?: Record<string, Record<string, pulumi.Input<string> | pulumi.Input<string>[]>>;
}

/**
 * Renders a policy document to JSON. Built locally rather than with `getPolicyDocument` so that
 * the document is identical in a preview, a deployment and the offline plan.
 */
export function policyDocument(statements: PolicyStatement[]): pulumi.Output<string> {
    return pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements });
}

/** Trust policy letting AWS services (one or several) assume a role, scoped to this account. */
export function serviceTrustPolicy(
    service: string | string[],
    accountId: pulumi.Input<string>,
    sourceArnPattern?: pulumi.Input<string>,
): pulumi.Output<string> {
    const condition: PolicyStatement["Condition"] = { StringEquals: { "aws:SourceAccount": accountId } };
    if (sourceArnPattern !== undefined) condition.ArnLike = { "aws:SourceArn": sourceArnPattern };
    return policyDocument([
        {
            Effect: "Allow",
            Principal: { Service: service },
            Action: "sts:AssumeRole",
            Condition: condition,
        },
    ]);
}
