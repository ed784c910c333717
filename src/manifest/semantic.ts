/**
 * Checks that need more than one field, or a name as strata will compose it:
 * the replication group id, the snapshot and maintenance windows.
 */
import {
  ID_SUFFIX_LENGTH,
  MIN_WINDOW_MINUTES,
  REDIS_DEFAULTS,
  REPLICATION_GROUP_ID,
  defaultMaintenanceWindow,
  parseDailyWindow,
  parseWeeklyWindow,
  windowsOverlap,
} from "../../modules/redis";
import { Problem, show } from "../problems";
import { RedisModel } from "./model";
import { MODULE_NAME, SERVICE_NAME } from "./rules";
import { DocPath, SourceFile } from "./source";

type Json = Record<string, unknown>;

/** The replication group id without its random suffix. */
export function replicationGroupIdPrefix(service: string, module: string): string {
  return `opta-${service}-${module}-`;
}

export function checkRedisModule(
  source: SourceFile,
  path: DocPath,
  m: Json,
  name: string,
  serviceName: string,
  problems: Problem[],
): RedisModel | undefined {
  const before = problems.length;

  if (SERVICE_NAME.pattern.test(serviceName) && MODULE_NAME.pattern.test(name)) {
    const prefix = replicationGroupIdPrefix(serviceName, name);
    const length = prefix.length + ID_SUFFIX_LENGTH;
    if (length > REPLICATION_GROUP_ID.maxLength) {
      problems.push(
        source.problem(
          [...path, typeof m.name === "string" ? "name" : "type"],
          `redis replication_group_id would be ${length} characters; maximum is ${REPLICATION_GROUP_ID.maxLength}, so shorten the service or module name`,
          `"${prefix}xxxx"`,
          `service and module names of at most ${REPLICATION_GROUP_ID.maxLength - ID_SUFFIX_LENGTH - "opta---".length} characters together`,
        ),
      );
    }
  }

  const snapshotText = typeof m.snapshot_window === "string" ? m.snapshot_window : REDIS_DEFAULTS.snapshotWindow;
  const snapshot = parseDailyWindow(snapshotText);
  if (snapshot && snapshot.minutes < MIN_WINDOW_MINUTES) {
    problems.push(
      source.problem(
        [...path, "snapshot_window"],
        `snapshot_window must be at least ${MIN_WINDOW_MINUTES} minutes (it is ${snapshot.minutes})`,
        show(snapshotText),
        `a window of ${MIN_WINDOW_MINUTES} minutes or more, such as 04:00-05:00`,
      ),
    );
  }

  const maintenanceText = typeof m.maintenance_window === "string" ? m.maintenance_window : undefined;
  if (maintenanceText !== undefined) {
    const maintenance = parseWeeklyWindow(maintenanceText);
    if (maintenance && maintenance.minutes < MIN_WINDOW_MINUTES) {
      problems.push(
        source.problem(
          [...path, "maintenance_window"],
          `maintenance_window must be at least ${MIN_WINDOW_MINUTES} minutes (it is ${maintenance.minutes})`,
          show(maintenanceText),
          `a window of ${MIN_WINDOW_MINUTES} minutes or more, such as sun:06:00-sun:07:00`,
        ),
      );
    } else if (maintenance && snapshot && windowsOverlap(snapshot, maintenance)) {
      problems.push(
        source.problem(
          [...path, "maintenance_window"],
          `maintenance_window overlaps the daily snapshot_window ${snapshotText}; AWS refuses that at apply`,
          show(maintenanceText),
          "a weekly window outside the snapshot window on every day",
        ),
      );
    }
  } else if (snapshot && snapshot.minutes >= MIN_WINDOW_MINUTES && defaultMaintenanceWindow(snapshot) === undefined) {
    problems.push(
      source.problem(
        [...path, "snapshot_window"],
        "snapshot_window leaves no room for the default maintenance window; set maintenance_window",
        show(snapshotText),
        "a snapshot window that leaves two free hours a day, or an explicit maintenance_window",
      ),
    );
  }

  if (problems.length > before) return undefined;
  return {
    name,
    nodeType: typeof m.node_type === "string" ? m.node_type : undefined,
    engineVersion: typeof m.redis_version === "string" ? m.redis_version : undefined,
    snapshotWindow: typeof m.snapshot_window === "string" ? m.snapshot_window : undefined,
    snapshotRetentionLimit: typeof m.snapshot_retention_limit === "number" ? m.snapshot_retention_limit : undefined,
    maintenanceWindow: maintenanceText,
  };
}
