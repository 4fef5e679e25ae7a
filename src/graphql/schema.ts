import { lexicographicSortSchema } from "graphql";
import { builder } from "./builder.ts";
import "./types/scalars.ts";
import "./types/enums.ts";
import "./types/Error.ts";
import "./types/ValidationError.ts";
import "./types/CycleError.ts";
import "./types/DuplicateTaskKeyError.ts";
import "./types/UnknownDependencyError.ts";
import "./types/UnknownHandlerError.ts";
import "./types/NotFoundError.ts";
import "./types/InvalidIdError.ts";
import "./types/InvalidTransitionError.ts";
import "./types/Plan.ts";
import "./types/Execution.ts";
import "./types/Checkpoint.ts";
import "./types/ExecutionUpdate.ts";
import "./types/Worker.ts";
import "./types/Schedule.ts";
import "./types/Trigger.ts";
import "./types/ReportMetricsPayload.ts";
import "./types/AlertRule.ts";
import "./types/Alert.ts";
import "./types/EngineStats.ts";
import "./types/PlanStats.ts";

export const schema = builder.toSchema();
/** The contract as committed in schema/schema.graphql. */
export const sortedSchema = lexicographicSortSchema(schema);
