export * from "./alarms";
export * from "./engine";
export * from "./limits";
export * from "./logs";
export * from "./redis";
export * from "./windows";
