/**
 * Entry point of the lakehouse guardrails policy pack:
 *   pulumi preview --policy-pack policies --policy-pack-config policies/config/<env>.json
 * Constructing the PolicyPack starts the analyzer server; policy definitions live in catalog.ts.
 */
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, POLICIES } from "./catalog";

new PolicyPack(PACK_NAME, {
    // Advisory unless the environment's policy config says otherwise.
    enforcementLevel: "advisory",
    policies: POLICIES,
});
