/**
 * The IAM family: identity policies wherever they sit (inline on a role, a managed policy, a user
 * or group policy), managed policy attachments, and role trust policies. Actions are judged by
 * what they cover in AWS's own action list (see ../lib/iam-actions), so `s3:Put*`, `iam:*Policy`
 * and `NotAction` are judged by the actions they grant, not by their spelling.
 */
import { coveredBy, type ExpandedPattern, expandAction } from "../lib/iam-actions";
import { asArray, isAccountPrincipal, isPublicPrincipal, type NormalStatement, normalStatements, principalsOf, restrictsCaller } from "../lib/props";
import { resourceRule, stackRule } from "../lib/rule";

const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const POLICY = "aws:iam/policy:Policy";
const USER_POLICY = "aws:iam/userPolicy:UserPolicy";
const GROUP_POLICY = "aws:iam/groupPolicy:GroupPolicy";
const ROLE_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const USER_ATTACHMENT = "aws:iam/userPolicyAttachment:UserPolicyAttachment";
const GROUP_ATTACHMENT = "aws:iam/groupPolicyAttachment:GroupPolicyAttachment";
const POLICY_ATTACHMENT = "aws:iam/policyAttachment:PolicyAttachment";
const ROLE_ATTACHMENTS_EXCLUSIVE = "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive";

/** Every resource type that carries an identity policy document. */
export const IDENTITY_POLICY_TYPES = [ROLE_POLICY, POLICY, USER_POLICY, GROUP_POLICY, ROLE];
const ATTACHMENT_TYPES = [ROLE_ATTACHMENT, USER_ATTACHMENT, GROUP_ATTACHMENT, POLICY_ATTACHMENT, ROLE_ATTACHMENTS_EXCLUSIVE, ROLE];

/** An identity policy document of a resource, with a label for messages. */
interface LabelledDocument {
    label: string;
    document: unknown;
}

/** The identity policy documents a resource carries: its `policy`, or a role's inline policies. */
function identityDocuments(type: string, props: Record<string, any>): LabelledDocument[] {
    if (type === ROLE) {
        return asArray(props.inlinePolicies)
            .filter((p: any) => p && typeof p === "object")
            .map((p: any) => ({ label: `inline policy ${typeof p.name === "string" ? p.name : "(unnamed)"}: `, document: p.policy }));
    }
    return [{ label: "", document: props.policy }];
}

/** Managed policy ARNs a resource attaches. */
function attachedPolicyArns(type: string, props: Record<string, any>): string[] {
    const values = type === ROLE ? props.managedPolicyArns : type === ROLE_ATTACHMENTS_EXCLUSIVE ? props.policyArns : props.policyArn;
    return asArray(values).filter((v): v is string => typeof v === "string");
}

/** True when an Allow statement applies to every resource (`*`, or `NotResource`). */
function onEveryResource(s: NormalStatement): boolean {
    return s.resources.some((r) => r.trim() === "*") || s.notResources.length > 0;
}

/** Condition keys that only say how a call is made, not what it may touch. */
const NON_SCOPING_KEYS = /^aws:(SecureTransport|CurrentTime|EpochTime|UserAgent|MultiFactorAuthPresent|MultiFactorAuthAge|TokenIssueTime|ViaAWSService|CalledVia\w*)$/i;

/** True when a condition narrows which resources or requests a statement covers. */
function conditionScopes(s: NormalStatement): boolean {
    return Object.values(s.condition).some((keys) => Object.keys(keys).some((k) => !NON_SCOPING_KEYS.test(k)));
}

/** Each Allow statement of each document, with the expansions of its Action patterns. */
async function allowStatements(type: string, props: Record<string, any>): Promise<{ label: string; statement: NormalStatement; patterns: ExpandedPattern[] }[]> {
    const out: { label: string; statement: NormalStatement; patterns: ExpandedPattern[] }[] = [];
    for (const { label, document } of identityDocuments(type, props)) {
        for (const statement of normalStatements(document)) {
            if (statement.effect !== "Allow") continue;
            out.push({ label, statement, patterns: await Promise.all(statement.actions.map(expandAction)) });
        }
    }
    return out;
}

const where = (label: string, s: NormalStatement) => `${label}statement ${s.sid}`;

/** AWS-managed policies that grant administrator or near-administrator power. */
const ADMIN_MANAGED_POLICIES = ["AdministratorAccess", "PowerUserAccess", "IAMFullAccess", "AmazonS3FullAccess", "AWSKeyManagementServicePowerUser", "SecretsManagerReadWrite", "AWSLakeFormationDataAdmin", "AmazonRedshiftFullAccess", "AWSGlueConsoleFullAccess"];

/** Services whose full wildcard on every resource is never acceptable. */
const SENSITIVE_SERVICES = ["iam", "s3", "kms", "sts", "secretsmanager", "lakeformation"];

/** Actions that let a principal raise its own privileges when allowed on every resource. */
const ESCALATION_ACTIONS = [
    "iam:CreateAccessKey",
    "iam:CreateLoginProfile",
    "iam:UpdateLoginProfile",
    "iam:PutUserPolicy",
    "iam:PutRolePolicy",
    "iam:PutGroupPolicy",
    "iam:AttachUserPolicy",
    "iam:AttachRolePolicy",
    "iam:AttachGroupPolicy",
    "iam:CreatePolicyVersion",
    "iam:SetDefaultPolicyVersion",
    "iam:PassRole",
    "iam:UpdateAssumeRolePolicy",
    "iam:AddUserToGroup",
    "iam:DeleteRolePermissionsBoundary",
    "iam:DeleteUserPermissionsBoundary",
    "iam:PutRolePermissionsBoundary",
    "iam:PutUserPermissionsBoundary",
    "sts:AssumeRole",
    "glue:UpdateDevEndpoint",
    "lambda:UpdateFunctionCode",
    "lambda:UpdateFunctionConfiguration",
    "cloudformation:CreateStack",
];

/** Actions that read credentials or secret values. */
const SECRET_READ_ACTIONS = ["secretsmanager:GetSecretValue", "ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "kms:Decrypt", "kms:ReEncryptFrom"];

/**
 * Write actions that the platform's services document with `Resource: "*"` because the resource
 * does not exist before the call: the network interfaces Glue and Lambda create in a VPC
 * (https://docs.aws.amazon.com/glue/latest/dg/create-an-iam-role.html,
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html#configuration-vpc-permissions).
 */
const WRITE_ON_ANY_RESOURCE_ALLOWED = ["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses", "ec2:CreateTags", "ec2:DeleteTags"];

/** Patterns already reported as full admin or a sensitive service wildcard, so others skip them. */
function reportedElsewhere(p: ExpandedPattern, sensitive: string[]): boolean {
    if (p.pattern === "*") return true;
    const service = p.pattern.split(":")[0].toLowerCase();
    return p.wholeService && sensitive.includes(service);
}

/** Concrete actions a statement's patterns grant that match any of `targets`. */
function grantedAmong(patterns: ExpandedPattern[], targets: string[], skip: (p: ExpandedPattern) => boolean): string[] {
    const found = new Set<string>();
    for (const p of patterns) {
        if (skip(p)) continue;
        for (const a of p.actions) if (coveredBy(a.name, targets)) found.add(a.name);
    }
    return [...found].sort();
}

const list = (names: string[], max = 4) => (names.length > max ? `${names.slice(0, max).join(", ")} and ${names.length - max} more` : names.join(", "));

/** Account ids and account-root ARNs in a principal's `AWS` entry. */
const accountPrincipals = (principal: unknown) => principalsOf(principal).aws.filter(isAccountPrincipal);

const conditionKeys = (s: NormalStatement) => Object.values(s.condition).flatMap((keys) => Object.keys(keys).map((k) => k.toLowerCase()));

/** IAM's size limits, whitespace not counted (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html). */
const ROLE_INLINE_CHARACTERS = 10_240;
const MANAGED_POLICY_CHARACTERS = 6_144;

/** A policy document's size as IAM counts it: its JSON without the whitespace between tokens. */
function policySize(document: unknown): number {
    const text = typeof document === "string" ? document : JSON.stringify(document ?? {});
    try {
        return JSON.stringify(JSON.parse(text)).length;
    } catch {
        return text.replace(/\s+/g, "").length;
    }
}

export const iamPolicies = [
    stackRule({
        name: "iam-policy-size",
        family: "DEP",
        severity: "high",
        description:
            "Every role's inline policies together stay within IAM's 10,240 characters, and every managed policy within 6,144 (whitespace not counted): a policy that grows with each domain fails `pulumi up` (LimitExceeded) once it passes them.",
        remediation: "Scope statements by prefix instead of listing every domain's resources, or split the work between roles (for instance one per domain or group of domains).",
        refs: { isNew: true },
        check: (resources) => {
            const findings: { message: string; resource?: (typeof resources)[number] }[] = [];
            const inline = new Map<string, { size: number; first: (typeof resources)[number] }>();
            const add = (role: string, size: number, resource: (typeof resources)[number]) => {
                const entry = inline.get(role);
                if (entry) entry.size += size;
                else inline.set(role, { size, first: resource });
            };
            for (const r of resources) {
                if (r.type === ROLE_POLICY) add(String(r.props.role), policySize(r.props.policy), r);
                if (r.type === ROLE) for (const p of asArray(r.props.inlinePolicies) as { policy?: unknown }[]) add(String(r.props.name ?? r.name), policySize(p?.policy), r);
                if (r.type === POLICY) {
                    const size = policySize(r.props.policy);
                    if (size > MANAGED_POLICY_CHARACTERS) findings.push({ message: `managed policy ${r.name}: ${size} characters, above IAM's ${MANAGED_POLICY_CHARACTERS}`, resource: r });
                }
            }
            for (const [role, { size, first }] of inline) {
                if (size > ROLE_INLINE_CHARACTERS) findings.push({ message: `role ${role}: its inline policies are ${size} characters, above IAM's ${ROLE_INLINE_CHARACTERS}`, resource: first });
            }
            return findings;
        },
    }),
    resourceRule({
        name: "iam-no-full-admin",
        family: "ACC",
        severity: "high",
        description: "No identity policy allows every action on every resource (Action * or an Allow NotAction, on Resource *).",
        remediation: "Name the actions the principal needs, and the resources; grant administrators through a separately governed role.",
        refs: { fsbp: "IAM.1", checkov: ["CKV_AWS_1", "CKV_AWS_62", "CKV2_AWS_40"], config: "iam-policy-no-statements-with-admin-access" },
        types: IDENTITY_POLICY_TYPES,
        check: async ({ type, props }) =>
            (await allowStatements(type, props))
                .filter(({ statement }) => onEveryResource(statement))
                .flatMap(({ label, statement, patterns }) => {
                    if (patterns.some((p) => p.pattern === "*" || /^\*:\*$/.test(p.pattern))) return [`${where(label, statement)} allows every action on every resource`];
                    if (statement.notActions.length > 0) return [`${where(label, statement)} allows every action except ${list(statement.notActions)} on every resource (Allow with NotAction)`];
                    return [];
                }),
    }),
    resourceRule({
        name: "iam-no-star-action",
        family: "ACC",
        severity: "medium",
        description: 'No identity policy allows Action "*" even on named resources.',
        remediation: "List the actions the principal needs on those resources.",
        refs: { checkov: ["CKV_AWS_63"] },
        types: IDENTITY_POLICY_TYPES,
        check: async ({ type, props }) =>
            (await allowStatements(type, props))
                // On every resource it is full admin, reported by iam-no-full-admin.
                .filter(({ statement, patterns }) => !onEveryResource(statement) && patterns.some((p) => p.pattern === "*"))
                .map(({ label, statement }) => `${where(label, statement)} allows every action on ${list(statement.resources)}`),
    }),
    resourceRule({
        name: "iam-no-admin-managed-policy",
        family: "ACC",
        severity: "high",
        description: "No role, user or group has an AWS-managed administrator-like policy attached (AdministratorAccess, PowerUserAccess, IAMFullAccess and the configured list).",
        remediation: "Detach the managed policy and grant the named actions the principal needs in its own policy.",
        refs: { fsbp: "IAM.1", checkov: ["CKV_AWS_274"], config: "iam-policy-blacklisted-check" },
        params: { policies: { type: "array", items: { type: "string" }, description: "AWS-managed policy names that must not be attached", default: ADMIN_MANAGED_POLICIES } },
        types: ATTACHMENT_TYPES,
        check: ({ type, props }, params) =>
            attachedPolicyArns(type, props)
                .filter((arn) => {
                    const match = /^arn:[\w-]+:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(arn.trim());
                    return !!match && (params.policies as string[]).includes(match[1]);
                })
                .map((arn) => `attaches the AWS-managed policy ${arn}`),
    }),
    resourceRule({
        name: "iam-no-service-wildcard-on-all",
        family: "ACC",
        severity: "high",
        description: "No identity policy allows every action of a sensitive service (iam, s3, kms, sts, secretsmanager, lakeformation by default) on every resource.",
        remediation: "Name the actions and the resources (bucket and key ARNs, role ARNs) the principal needs.",
        refs: { fsbp: "IAM.21", checkov: ["CKV_AWS_289", "CKV_AWS_290", "CKV2_AWS_40"], config: "iam-policy-no-statements-with-full-access" },
        params: { services: { type: "array", items: { type: "string" }, description: "service prefixes whose full wildcard on * is refused", default: SENSITIVE_SERVICES } },
        types: IDENTITY_POLICY_TYPES,
        check: async ({ type, props }, params) =>
            (await allowStatements(type, props))
                .filter(({ statement }) => onEveryResource(statement))
                .flatMap(({ label, statement, patterns }) =>
                    patterns
                        .filter((p) => p.pattern !== "*" && p.wholeService && (params.services as string[]).includes(p.pattern.split(":")[0].toLowerCase()))
                        .map((p) => `${where(label, statement)} allows every ${p.pattern.split(":")[0].toLowerCase()} action (${p.pattern}) on every resource`),
                ),
    }),
    resourceRule({
        name: "iam-no-privilege-escalation",
        family: "ACC",
        severity: "high",
        description: "No identity policy allows privilege-escalation actions (access keys, login profiles, policy writes and attachments, policy versions, PassRole, trust policy updates…) on every resource.",
        remediation: "Name the roles, users and policies these actions may touch (e.g. iam:PassRole on the one role a service needs, with iam:PassedToService).",
        refs: { checkov: ["CKV_AWS_286", "CKV_AWS_287"] },
        params: { actions: { type: "array", items: { type: "string" }, description: "actions judged privilege escalation on Resource *", default: ESCALATION_ACTIONS } },
        types: IDENTITY_POLICY_TYPES,
        check: async ({ type, props }, params) =>
            (await allowStatements(type, props))
                .filter(({ statement }) => onEveryResource(statement))
                .flatMap(({ label, statement, patterns }) => {
                    const actions = grantedAmong(patterns, params.actions as string[], (p) => reportedElsewhere(p, SENSITIVE_SERVICES));
                    return actions.length ? [`${where(label, statement)} allows ${list(actions)} on every resource (privilege escalation)`] : [];
                }),
    }),
    resourceRule({
        name: "iam-no-secret-read-on-all",
        family: "ACC",
        severity: "medium",
        description: "No identity policy allows reading secrets or decrypting on every resource (secretsmanager:GetSecretValue, ssm:GetParameter*, kms:Decrypt, kms:ReEncryptFrom).",
        remediation: "Name the secret, parameter and key ARNs in the statement's Resource.",
        refs: { fsbp: "KMS.1", checkov: ["CKV_AWS_288"], config: "iam-customer-policy-blocked-kms-actions" },
        types: IDENTITY_POLICY_TYPES,
        check: async ({ type, props }) =>
            (await allowStatements(type, props))
                .filter(({ statement }) => onEveryResource(statement))
                .flatMap(({ label, statement, patterns }) => {
                    const actions = grantedAmong(patterns, SECRET_READ_ACTIONS, (p) => reportedElsewhere(p, SENSITIVE_SERVICES));
                    return actions.length ? [`${where(label, statement)} allows ${list(actions)} on every resource`] : [];
                }),
    }),
    resourceRule({
        name: "iam-write-actions-scoped",
        family: "ACC",
        severity: "medium",
        description:
            "Write, permissions-management and tagging actions that accept a resource ARN are not allowed on every resource without a scoping condition; actions AWS defines without resource types (ec2:Describe*, xray:PutTraceSegments…) are not flagged.",
        remediation: "Name the resources in the statement, or narrow it with a condition on the resource (aws:ResourceTag, ec2:Vpc, …).",
        refs: { checkov: ["CKV_AWS_111", "CKV_AWS_109", "CKV_AWS_108", "CKV_AWS_355"] },
        params: {
            allowedOnAnyResource: {
                type: "array",
                items: { type: "string" },
                description: "actions AWS documents with Resource * because the resource does not exist before the call",
                default: WRITE_ON_ANY_RESOURCE_ALLOWED,
            },
        },
        types: IDENTITY_POLICY_TYPES,
        check: async ({ type, props }, params) =>
            (await allowStatements(type, props))
                .filter(({ statement }) => onEveryResource(statement) && !conditionScopes(statement))
                .flatMap(({ label, statement, patterns }) => {
                    const skip = (p: ExpandedPattern) => reportedElsewhere(p, SENSITIVE_SERVICES);
                    const already = new Set([...grantedAmong(patterns, ESCALATION_ACTIONS, skip), ...grantedAmong(patterns, SECRET_READ_ACTIONS, skip)]);
                    const found = new Set<string>();
                    for (const p of patterns) {
                        if (skip(p)) continue;
                        for (const a of p.actions) {
                            if (!a.scopable || already.has(a.name) || coveredBy(a.name, params.allowedOnAnyResource as string[])) continue;
                            if (/Write|Permissions management|Tagging/.test(a.accessLevel)) found.add(a.name);
                        }
                    }
                    const actions = [...found].sort();
                    return actions.length ? [`${where(label, statement)} allows ${list(actions)} on every resource, though each accepts a resource ARN`] : [];
                }),
    }),
    resourceRule({
        name: "iam-actions-exist",
        family: "ACC",
        severity: "low",
        description: "Every action an identity policy names exists in AWS's action list (a misspelt action grants nothing and hides a missing permission).",
        remediation: "Correct the action name (see the Service Authorization Reference).",
        refs: { isNew: true },
        types: IDENTITY_POLICY_TYPES,
        check: async ({ type, props }) => {
            const problems: string[] = [];
            for (const { label, document } of identityDocuments(type, props)) {
                for (const statement of normalStatements(document)) {
                    for (const pattern of [...statement.actions, ...statement.notActions]) {
                        const expanded = await expandAction(pattern);
                        if (!expanded.serviceExists) problems.push(`${where(label, statement)} names ${pattern}, whose service prefix does not exist`);
                        else if (pattern.trim() !== "*" && expanded.actions.length === 0) problems.push(`${where(label, statement)} names ${pattern}, which matches no action`);
                    }
                }
            }
            return problems;
        },
    }),
    resourceRule({
        name: "iam-trust-not-public",
        family: "ACC",
        severity: "critical",
        description: 'No role trust policy lets everyone (Principal "*" or AWS "*") assume the role without a condition that limits who.',
        remediation: "Name the principals that may assume the role, or add aws:PrincipalOrgID / aws:PrincipalArn / sts:ExternalId conditions.",
        refs: { checkov: ["CKV_AWS_60"] },
        types: [ROLE],
        check: ({ props }) =>
            normalStatements(props.assumeRolePolicy)
                .filter((s) => s.effect === "Allow" && isPublicPrincipal(s.principal) && !restrictsCaller(s))
                .map((s) => `trust statement ${s.sid} lets anyone assume the role`),
    }),
    resourceRule({
        name: "iam-trust-account-conditioned",
        family: "ACC",
        severity: "medium",
        description: "A role trust policy that trusts a whole account (its root or account id) also requires sts:ExternalId or a principal condition (aws:PrincipalArn, aws:PrincipalOrgID, aws:PrincipalTag).",
        remediation: "Trust the named roles instead of the account, or add sts:ExternalId (third parties) or an aws:PrincipalArn condition.",
        refs: { checkov: ["CKV_AWS_61"] },
        types: [ROLE],
        check: ({ props }) =>
            normalStatements(props.assumeRolePolicy)
                .filter((s) => s.effect === "Allow" && accountPrincipals(s.principal).length > 0)
                .filter((s) => !conditionKeys(s).some((k) => ["sts:externalid", "aws:principalarn", "aws:principalorgid", "aws:principalorgpaths"].includes(k) || k.startsWith("aws:principaltag/")))
                .map((s) => `trust statement ${s.sid} trusts every principal of ${list(accountPrincipals(s.principal))} without sts:ExternalId or a principal condition`),
    }),
    resourceRule({
        name: "iam-service-trust-confused-deputy",
        family: "ACC",
        severity: "medium",
        description: "A role trust policy for an AWS service carries aws:SourceAccount or aws:SourceArn (or the org equivalents), so the service cannot be made to act for another account.",
        remediation: "Add Condition StringEquals aws:SourceAccount = <account id> (and ArnLike aws:SourceArn where the service sends it).",
        refs: { isNew: true },
        params: {
            servicesWithoutSourceContext: {
                type: "array",
                items: { type: "string" },
                description: "service principals that assume roles without sending source context (their trust cannot carry the condition)",
                default: ["ec2.amazonaws.com", "edgelambda.amazonaws.com"],
            },
        },
        types: [ROLE],
        check: ({ props }, params) =>
            normalStatements(props.assumeRolePolicy)
                .filter((s) => s.effect === "Allow")
                .flatMap((s) => {
                    const services = principalsOf(s.principal).service.filter((p) => !(params.servicesWithoutSourceContext as string[]).includes(p));
                    if (services.length === 0) return [];
                    const keys = conditionKeys(s);
                    return ["aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid", "aws:sourceorgpaths"].some((k) => keys.includes(k))
                        ? []
                        : [`trust statement ${s.sid} lets ${list(services)} assume the role without aws:SourceAccount or aws:SourceArn`];
                }),
    }),
];
