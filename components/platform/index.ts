export * from "./lakehouse-platform";
export * from "./outputs";
