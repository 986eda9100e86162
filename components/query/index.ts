export * from "./athena-workgroups";
export * from "./query-results-bucket";
