/**
 * The deploy-safety family (DEP): mistakes that make `pulumi up` fail, or break a later update,
 * judged from inputs and resource options before anything is created.
 */
import type { PolicyResource } from "@pulumi/policy";
import { coveredBy } from "../lib/iam-actions";
import { KEY_USES } from "../lib/key-services";
import { asArray, at, isAccountPrincipal, isTrue, normalStatements, principalsOf } from "../lib/props";
import { type Finding, resourceRule, stackRule } from "../lib/rule";
import { StackIndex } from "../lib/stack";

const MSK = "aws:msk/cluster:Cluster";
const SCALING_TARGET = "aws:appautoscaling/target:Target";
const KEY = "aws:kms/key:Key";
const KEY_POLICY = "aws:kms/keyPolicy:KeyPolicy";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const TOPIC = "aws:sns/topic:Topic";
const LF_SETTINGS = "aws:lakeformation/dataLakeSettings:DataLakeSettings";

/** The path MSK storage autoscaling changes behind the program's back. */
const MSK_VOLUME_SIZE = "brokerNodeGroupInfo.storageInfo.ebsStorageInfo.volumeSize";

/** Marker text @pulumi/pulumi puts where a program turned an Output into a string. */
const STRINGIFIED_OUTPUT = "Calling [toString] on an [Output<T>] is not supported";

/**
 * Name properties and AWS's length limits. `auto` marks the property Pulumi fills when it is
 * omitted (the resource's logical name plus "-" and 7 random characters).
 */
interface NameLimit {
    property: string;
    max: number;
    min?: number;
    auto?: boolean;
    /** Limit of the `<property>Prefix` sibling (Pulumi appends 26 characters). */
    prefixMax?: number;
    pattern?: RegExp;
    patternText?: string;
}
const NAME_LIMITS: Record<string, NameLimit> = {
    "aws:s3/bucket:Bucket": { property: "bucket", max: 63, min: 3, auto: true, prefixMax: 37, pattern: /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/, patternText: "lowercase letters, digits, dots and hyphens" },
    "aws:s3/bucketV2:BucketV2": { property: "bucket", max: 63, min: 3, auto: true, prefixMax: 37, pattern: /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/, patternText: "lowercase letters, digits, dots and hyphens" },
    "aws:iam/role:Role": { property: "name", max: 64, auto: true, prefixMax: 38 },
    "aws:iam/policy:Policy": { property: "name", max: 128, auto: true, prefixMax: 102 },
    "aws:iam/rolePolicy:RolePolicy": { property: "name", max: 128, auto: true, prefixMax: 102 },
    "aws:iam/user:User": { property: "name", max: 64 },
    "aws:lambda/function:Function": { property: "name", max: 64, auto: true },
    "aws:sqs/queue:Queue": { property: "name", max: 80, auto: true, prefixMax: 54 },
    "aws:sns/topic:Topic": { property: "name", max: 256, auto: true, prefixMax: 230 },
    "aws:kinesis/stream:Stream": { property: "name", max: 128, auto: true },
    "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": { property: "name", max: 64, auto: true },
    "aws:msk/cluster:Cluster": { property: "clusterName", max: 64 },
    "aws:msk/serverlessCluster:ServerlessCluster": { property: "clusterName", max: 64 },
    "aws:redshift/cluster:Cluster": { property: "clusterIdentifier", max: 63, pattern: /^[a-z][a-z0-9-]*$/, patternText: "lowercase letters, digits and hyphens, starting with a letter" },
    "aws:redshiftserverless/namespace:Namespace": { property: "namespaceName", max: 64, min: 3 },
    "aws:redshiftserverless/workgroup:Workgroup": { property: "workgroupName", max: 64, min: 3 },
    "aws:dynamodb/table:Table": { property: "name", max: 255, min: 3, auto: true },
    "aws:sfn/stateMachine:StateMachine": { property: "name", max: 80, auto: true, prefixMax: 54 },
    "aws:glue/job:Job": { property: "name", max: 255, auto: true },
    "aws:glue/crawler:Crawler": { property: "name", max: 255, auto: true },
    "aws:cloudwatch/logGroup:LogGroup": { property: "name", max: 512, auto: true, prefixMax: 483 },
    "aws:cloudwatch/metricAlarm:MetricAlarm": { property: "name", max: 255, auto: true },
    "aws:cloudwatch/eventRule:EventRule": { property: "name", max: 64, auto: true, prefixMax: 38 },
    "aws:scheduler/schedule:Schedule": { property: "name", max: 64, auto: true, prefixMax: 38 },
    "aws:kms/alias:Alias": { property: "name", max: 256 },
    "aws:secretsmanager/secret:Secret": { property: "name", max: 512, auto: true, prefixMax: 486 },
    "aws:cloudtrail/trail:Trail": { property: "name", max: 128, min: 3, auto: true },
    "aws:ec2/securityGroup:SecurityGroup": { property: "name", max: 255, auto: true, prefixMax: 229 },
};

/** Length of the suffix Pulumi's auto-naming appends (`-` and 7 random characters). */
const AUTONAME_SUFFIX = 8;

/** Where a dotted `ignoreChanges` entry covers `path` (the path itself or one of its parents). */
function ignores(ignoreChanges: unknown, path: string): boolean {
    return asArray(ignoreChanges as string[]).some((entry) => typeof entry === "string" && (entry === path || path.startsWith(`${entry}.`) || entry === "*"));
}

/** The policy documents of a key: its `policy`, and any aws.kms.KeyPolicy attached to it. */
function keyPolicies(index: StackIndex, key: PolicyResource): unknown[] {
    const attached = index.attached(key, KEY_POLICY, "keyId", [key.props.keyId, key.props.id, key.props.arn]);
    return [key.props.policy, ...attached.map((p) => p.props.policy)].filter((p) => p !== undefined && p !== null && p !== "");
}

/** True when some Allow statement of the documents grants every action to a matching principal. */
function keyPolicyAllows(documents: unknown[], matchesPrincipal: (p: { aws: string[]; service: string[] }) => boolean, actions: string[]): boolean {
    const statements = documents.flatMap((d) => normalStatements(d)).filter((s) => s.effect === "Allow" && matchesPrincipal(principalsOf(s.principal)));
    return actions.every((action) => statements.some((s) => coveredBy(action, s.actions)));
}

export const deploySafetyPolicies = [
    stackRule({
        name: "dep-msk-storage-autoscaling-ignored",
        family: "DEP",
        severity: "high",
        description: `An MSK cluster whose storage is autoscaled ignores changes to ${MSK_VOLUME_SIZE}; otherwise the next update tries to shrink the grown volumes, which MSK refuses.`,
        remediation: `Add ignoreChanges: ["${MSK_VOLUME_SIZE}"] to the cluster's resource options.`,
        refs: { isNew: true },
        check: (resources) => {
            const index = new StackIndex(resources);
            const findings: Finding[] = [];
            for (const target of index.ofType(SCALING_TARGET)) {
                if (target.props.scalableDimension !== "kafka:broker-storage:VolumeSize") continue;
                const clusters = [
                    ...index.sourcesOf(target, "resourceId").filter((r) => r.type === MSK),
                    ...index.ofType(MSK).filter((c) => c.props.arn && c.props.arn === target.props.resourceId),
                ];
                for (const cluster of new Set(clusters)) {
                    if (!ignores(cluster.opts?.ignoreChanges, MSK_VOLUME_SIZE)) {
                        findings.push({ message: `cluster ${cluster.name}: storage autoscales (${target.name}) but the cluster does not ignore ${MSK_VOLUME_SIZE}`, resource: cluster });
                    }
                }
            }
            return findings;
        },
    }),
    stackRule({
        name: "dep-key-policy-allows-services",
        family: "DEP",
        severity: "high",
        description:
            "A customer-managed key used by CloudTrail, CloudWatch Logs, an SNS topic that CloudWatch alarms notify, or a Step Functions state machine has the key-policy statements that service needs (the service principal's actions, or for a state machine delegation to IAM or its role).",
        remediation: "Add the service principal's statement to the key policy (see the AWS page in the message), scoped with aws:SourceArn or an encryption-context condition.",
        refs: { isNew: true },
        check: (resources) => {
            const index = new StackIndex(resources);
            const findings: Finding[] = [];
            const alarmTargets = new Set(index.ofType(ALARM).flatMap((a) => [...asArray(a.props.alarmActions), ...asArray(a.props.okActions), ...asArray(a.props.insufficientDataActions)]));
            for (const key of index.ofType(KEY)) {
                const documents = keyPolicies(index, key);
                const identifiers = [key.props.arn, key.props.keyId, key.props.id].filter((v) => typeof v === "string" && v !== "");
                for (const use of KEY_USES) {
                    const property = use.keyProperty.split(".")[0];
                    for (const user of index.ofType(use.type)) {
                        const value = at(user.props, use.keyProperty);
                        const fromKey = index.sourcesOf(user, property).some((r) => r.urn === key.urn) || (typeof value === "string" && identifiers.includes(value));
                        if (!fromKey) continue;
                        if (use.type === TOPIC) {
                            const arn = user.props.arn;
                            const notified = (typeof arn === "string" && alarmTargets.has(arn)) || index.ofType(ALARM).some((a) => index.sourcesOf(a, "alarmActions").some((r) => r.urn === user.urn));
                            if (!notified) continue;
                        }
                        let allowed: boolean;
                        if (use.servicePrincipal) {
                            const region = String(user.provider?.props?.region ?? key.provider?.props?.region ?? "");
                            const wanted = use.servicePrincipal.replace("{region}", region);
                            const matchesService = (p: { service: string[] }) =>
                                p.service.some((s) => s === wanted || (use.servicePrincipal!.includes("{region}") && !region && /^logs\.[a-z0-9-]+\.amazonaws\.com$/.test(s)));
                            allowed = keyPolicyAllows(documents, matchesService, use.actions);
                        } else {
                            const role = user.props.roleArn;
                            allowed = keyPolicyAllows(documents, (p) => p.aws.some((a) => isAccountPrincipal(a) || a === role), use.actions);
                        }
                        if (!allowed) {
                            findings.push({
                                message: `key ${key.name}: its policy does not let ${use.servicePrincipal?.replace("{region}", "<region>") ?? "IAM policies or the execution role"} ${use.actions.join(", ")} for ${use.what} (${user.name}); see ${use.doc}`,
                                resource: key,
                            });
                        }
                    }
                }
            }
            return findings;
        },
    }),
    resourceRule({
        name: "dep-lake-formation-settings-protected",
        family: "DEP",
        severity: "high",
        description: "Lake Formation data lake settings are protected: they are account-wide, and deleting the resource (a destroy, a rename, a replacement) resets the account's administrators and default permissions.",
        remediation: "Set protect: true on the DataLakeSettings resource (and retainOnDelete: true), or manage the settings from one account-level stack.",
        refs: { isNew: true },
        types: [LF_SETTINGS],
        check: ({ opts }) => (opts?.protect ? undefined : "settings are not protected, so deleting them resets the account's Lake Formation administrators; set protect: true on the resource"),
    }),
    resourceRule({
        name: "dep-lake-formation-deployer-admin",
        family: "DEP",
        severity: "high",
        description:
            "Lake Formation administrators include the principal that deploys (the configured deployer ARNs, or the provider's assume-role ARN); otherwise the next update cannot grant or revoke Lake Formation permissions.",
        remediation: "Add the deploying role's ARN to admins (the blueprint adds lakehouse:governance.deployerRoleArn, and refuses to run as anyone else).",
        refs: { isNew: true },
        params: { deployerPrincipalArns: { type: "array", items: { type: "string" }, description: "ARNs of the principals that run pulumi up for this stack", default: [] } },
        types: [LF_SETTINGS],
        check: ({ props, providerProps }, params) => {
            const admins = asArray(props.admins).filter((a): a is string => typeof a === "string");
            const assumed = [...asArray(providerProps?.assumeRoles), providerProps?.assumeRole].map((r: any) => r?.roleArn).filter((r): r is string => typeof r === "string" && r !== "");
            const deployers = [...(params.deployerPrincipalArns as string[]), ...assumed];
            if (deployers.length === 0) return undefined;
            return deployers.some((d) => admins.includes(d)) ? undefined : `none of the deploying principals (${deployers.join(", ")}) is a Lake Formation administrator`;
        },
    }),
    resourceRule({
        name: "dep-name-length",
        family: "DEP",
        severity: "high",
        description: "Explicit names, name prefixes and Pulumi auto-names (logical name plus 8 characters) fit AWS's length and character limits for the resource type.",
        remediation: "Shorten the name (or the logical name when Pulumi auto-names the resource), or set an explicit shorter name.",
        refs: { isNew: true },
        types: Object.keys(NAME_LIMITS),
        check: ({ type, name, props }) => {
            const limit = NAME_LIMITS[type];
            const value = props[limit.property];
            const prefix = props[`${limit.property}Prefix`];
            if (typeof value === "string") {
                const problems: string[] = [];
                if (value.length > limit.max) problems.push(`${limit.property} "${value}" has ${value.length} characters; AWS allows at most ${limit.max}`);
                if (limit.min && value.length < limit.min) problems.push(`${limit.property} "${value}" has ${value.length} characters; AWS needs at least ${limit.min}`);
                if (limit.pattern && !limit.pattern.test(value)) problems.push(`${limit.property} "${value}" may contain only ${limit.patternText}`);
                return problems;
            }
            if (typeof prefix === "string") {
                return limit.prefixMax && prefix.length > limit.prefixMax ? `${limit.property}Prefix "${prefix}" has ${prefix.length} characters; AWS allows at most ${limit.prefixMax}` : undefined;
            }
            if (value === undefined && limit.auto && name.length + AUTONAME_SUFFIX > limit.max) {
                return `auto-name from logical name "${name}" would have ${name.length + AUTONAME_SUFFIX} characters; AWS allows at most ${limit.max}`;
            }
            return undefined;
        },
    }),
    resourceRule({
        name: "dep-conflicting-settings",
        family: "DEP",
        severity: "high",
        description:
            "No resource sets inputs AWS refuses together: a shard count on an on-demand stream, a master password with a Redshift-managed one, a FIFO queue without the .fifo suffix (or the suffix on a standard queue).",
        remediation: "Remove one of the two settings, as the message says.",
        refs: { isNew: true },
        types: ["aws:kinesis/stream:Stream", "aws:redshift/cluster:Cluster", "aws:redshiftserverless/namespace:Namespace", "aws:sqs/queue:Queue"],
        check: ({ type, props }) => {
            switch (type) {
                case "aws:kinesis/stream:Stream":
                    return props.streamModeDetails?.streamMode === "ON_DEMAND" && props.shardCount !== undefined && props.shardCount !== null
                        ? "shardCount is set on an ON_DEMAND stream (AWS sizes on-demand streams itself)"
                        : undefined;
                case "aws:redshift/cluster:Cluster":
                    return isTrue(props.manageMasterPassword) && (props.masterPassword !== undefined || props.masterPasswordWo !== undefined)
                        ? "masterPassword is set although manageMasterPassword asks Redshift to manage it"
                        : undefined;
                case "aws:redshiftserverless/namespace:Namespace":
                    return isTrue(props.manageAdminPassword) && (props.adminUserPassword !== undefined || props.adminUserPasswordWo !== undefined)
                        ? "adminUserPassword is set although manageAdminPassword asks Redshift to manage it"
                        : undefined;
                case "aws:sqs/queue:Queue": {
                    const queueName = typeof props.name === "string" ? props.name : undefined;
                    if (!queueName) return undefined;
                    if (isTrue(props.fifoQueue) && !queueName.endsWith(".fifo")) return `FIFO queue name "${queueName}" does not end in .fifo`;
                    if (!isTrue(props.fifoQueue) && queueName.endsWith(".fifo")) return `standard queue name "${queueName}" ends in .fifo, which AWS reserves for FIFO queues`;
                    return undefined;
                }
                default:
                    return undefined;
            }
        },
    }),
    resourceRule({
        name: "dep-state-machine-unique-state-names",
        family: "DEP",
        severity: "high",
        description: "A Step Functions definition names each state once across the whole machine, nested Map and Parallel states included (AWS refuses the definition otherwise).",
        remediation: "Rename the repeated states, e.g. prefix a nested state with what its Map does.",
        refs: { isNew: true },
        types: ["aws:sfn/stateMachine:StateMachine"],
        check: ({ props }) => {
            let definition: unknown = props.definition;
            if (typeof definition === "string") {
                try {
                    definition = JSON.parse(definition);
                } catch {
                    return undefined;
                }
            }
            const seen = new Map<string, number>();
            const visit = (machine: unknown, depth: number) => {
                if (depth > 10 || !machine || typeof machine !== "object") return;
                const states = (machine as { States?: unknown }).States;
                if (!states || typeof states !== "object") return;
                for (const [name, state] of Object.entries(states as Record<string, any>)) {
                    seen.set(name, (seen.get(name) ?? 0) + 1);
                    if (!state || typeof state !== "object") continue;
                    visit(state.ItemProcessor ?? state.Iterator, depth + 1);
                    for (const branch of asArray(state.Branches)) visit(branch, depth + 1);
                }
            };
            visit(definition, 0);
            const repeated = [...seen.entries()].filter(([, n]) => n > 1).map(([name, n]) => `${name} (${n} times)`);
            return repeated.length ? `the definition names ${repeated.join(", ")}; rename them so each state name is unique across the machine` : undefined;
        },
    }),
    resourceRule({
        name: "dep-no-stringified-output",
        family: "DEP",
        severity: "critical",
        description: "No input contains the text @pulumi/pulumi substitutes when a program turns an Output into a string (a template literal or JSON.stringify over an Output): AWS would receive that text as a name, ARN or policy.",
        remediation: "Build the value with pulumi.interpolate, pulumi.jsonStringify or .apply() instead of a template literal or JSON.stringify.",
        refs: { isNew: true },
        types: ["*"],
        check: ({ props }) => {
            const found: string[] = [];
            const visit = (value: unknown, path: string, depth: number) => {
                if (depth > 12 || found.length >= 3) return;
                if (typeof value === "string") {
                    if (value.includes(STRINGIFIED_OUTPUT)) found.push(path || "(value)");
                } else if (Array.isArray(value)) {
                    value.forEach((v, i) => {
                        visit(v, `${path}[${i}]`, depth + 1);
                    });
                } else if (value && typeof value === "object") {
                    for (const [k, v] of Object.entries(value)) visit(v, path ? `${path}.${k}` : k, depth + 1);
                }
            };
            visit(props, "", 0);
            return found.map((path) => `${path} holds a stringified Output ("${STRINGIFIED_OUTPUT}…")`);
        },
    }),
];
