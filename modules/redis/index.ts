export * from "./limits";
export * from "./redis";
export * from "./windows";
