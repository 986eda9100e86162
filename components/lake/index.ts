export * from "./data-lake";
export * from "./lake-bucket";
