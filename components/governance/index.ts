export * from "./lake-formation-settings";
export * from "./lake-governance";
