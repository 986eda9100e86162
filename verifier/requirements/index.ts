import { athenaRequirements } from "./athena";
import { cloudTrailRequirements } from "./cloudtrail";
import { codeRequirements } from "./code";
import { encryptionRequirements } from "./encryption";
import { firehoseRequirements } from "./firehose";
import { glueRequirements } from "./glue";
import { lambdaRequirements } from "./lambda";
import { schedulerRequirements } from "./scheduler";
import { stateMachineRequirements } from "./states";
import type { Requirement } from "./types";

export type { HopSpec, Requirement } from "./types";

/** The requirement table: every resource type the verifier derives permission hops from. */
export const REQUIREMENTS: Requirement[] = [
    ...firehoseRequirements,
    ...glueRequirements,
    ...stateMachineRequirements,
    ...schedulerRequirements,
    ...lambdaRequirements,
    ...codeRequirements,
    ...cloudTrailRequirements,
    ...encryptionRequirements,
    ...athenaRequirements,
];
