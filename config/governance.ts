import { namePrefix } from "../lib/naming";
import type { GovernanceInput } from "../lib/governance";
import type { PlatformConfig } from "./loader";

/** The governance model's input for an environment: the component and the drift audit both use it. */
export function governanceInput(config: PlatformConfig): GovernanceInput {
    return {
        namePrefix: namePrefix(config.environment),
        domains: config.domains,
        classifications: config.governance.classifications,
        databaseClassification: config.governance.databaseClassification,
        personas: config.governance.personas,
        tableClassification: config.governance.tableClassification,
        piiFilters: config.governance.piiFilters,
        piiClassification: config.governance.piiClassification,
    };
}
