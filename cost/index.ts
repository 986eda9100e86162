export * from "./collector";
export * from "./compare";
export * from "./components";
export * from "./estimator";
export * from "./prices";
export * from "./schedule";
export * from "./usage";
export * from "./price-file";
