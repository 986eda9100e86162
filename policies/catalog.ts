/**
 * Every policy of the lakehouse guardrails pack. Importing this module defines the policies
 * without starting the analyzer server (that happens only in index.ts).
 */
import type { Policies } from "@pulumi/policy";
import { RULES } from "./lib/rule";
import { athenaPolicies } from "./rules/athena";
import { costPolicies } from "./rules/cost";
import { deploySafetyPolicies } from "./rules/deploy-safety";
import { functionAndStatePolicies } from "./rules/functions-state";
import { governancePolicies } from "./rules/governance-tags";
import { gluePolicies, redshiftPolicies } from "./rules/glue-redshift";
import { iamPolicies } from "./rules/iam";
import { icebergPolicies } from "./rules/iceberg";
import { keyAndMessagingPolicies } from "./rules/keys-messaging";
import { lakeFormationPolicies } from "./rules/lake-formation";
import { loggingPolicies } from "./rules/logging";
import { networkPolicies } from "./rules/network";
import { s3Policies } from "./rules/s3";
import { streamingPolicies } from "./rules/streaming";

export const PACK_NAME = "lakehouse-guardrails";

export const POLICIES: Policies = [
    ...s3Policies,
    ...streamingPolicies,
    ...gluePolicies,
    ...redshiftPolicies,
    ...icebergPolicies,
    ...keyAndMessagingPolicies,
    ...iamPolicies,
    ...loggingPolicies,
    ...functionAndStatePolicies,
    ...networkPolicies,
    ...lakeFormationPolicies,
    ...athenaPolicies,
    ...governancePolicies,
    ...costPolicies,
    ...deploySafetyPolicies,
];

/** Metadata of every policy, in pack order. */
export const POLICY_METADATA = RULES;
