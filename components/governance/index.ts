export * from "./lake-formation-settings";
export * from "./lake-governance";
export * from "./iam-allowed-principals";
