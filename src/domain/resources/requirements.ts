import { ValidationError } from "../errors.ts";
import { PRIORITIES, type Priority } from "../status.ts";

// What a task (or a client) asks of the resource pools, and which pools can serve it.

export type Scalar = string | number | boolean | null;
export interface ConstraintOps {
  eq?: Scalar;
  ne?: Scalar;
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
  in?: Scalar[];
}
/**
 * One attribute condition. A scalar means equality, except `min<Attr>` / `max<Attr>` with a number,
 * which bound the attribute `<attr>` (`minMemory: 8192` → attributes.memory ≥ 8192); an object gives
 * operators (`{ memory: { gte: 8192 } }`).
 */
export type Constraint = Scalar | ConstraintOps;

export interface ResourceRequirement {
  type: string;
  amount: number;
  /** Competes at this priority instead of the task's, if higher. */
  priority?: Priority | null;
  constraints?: Record<string, Constraint> | null;
  /** Released after this long even if the holder still runs. */
  durationMs?: number | null;
  /**
   * Released as soon as the execution's pause is requested, while the run may still be finishing (for
   * handlers that stop using it once ctx.paused turns true). Default false: held until the run ends.
   */
  releaseOnPause?: boolean | null;
}

export const RESOURCE_LIMITS = {
  maxRequirements: 16,
  maxTypeLength: 100,
  minAmount: 1e-6,
  maxAmount: 1e9,
  maxConstraints: 32,
  maxInValues: 100,
  maxDurationMs: 7 * 24 * 3600 * 1000,
  maxAttributesBytes: 16 * 1024,
  maxNameLength: 100,
} as const;

const OPS = new Set(["eq", "ne", "gt", "gte", "lt", "lte", "in"]);
const isScalar = (v: unknown): v is Scalar => v === null || ["string", "number", "boolean"].includes(typeof v);

export function validateType(type: unknown, field: string): void {
  if (typeof type !== "string" || !/^[A-Za-z0-9_.:\-/]+$/.test(type) || type.length > RESOURCE_LIMITS.maxTypeLength)
    throw new ValidationError(field, `must be 1..${RESOURCE_LIMITS.maxTypeLength} characters of letters, digits and _ . : - /`);
}

function validateAmount(amount: unknown, field: string): void {
  if (typeof amount !== "number" || !Number.isFinite(amount) || amount < RESOURCE_LIMITS.minAmount || amount > RESOURCE_LIMITS.maxAmount)
    throw new ValidationError(field, `must be a number between ${RESOURCE_LIMITS.minAmount} and ${RESOURCE_LIMITS.maxAmount}`);
}

function validateConstraints(constraints: unknown, field: string): void {
  if (constraints == null) return;
  if (typeof constraints !== "object" || Array.isArray(constraints)) throw new ValidationError(field, "must be an object of attribute conditions");
  const entries = Object.entries(constraints);
  if (entries.length > RESOURCE_LIMITS.maxConstraints) throw new ValidationError(field, `at most ${RESOURCE_LIMITS.maxConstraints} conditions`);
  for (const [key, c] of entries) {
    const at = `${field}.${key}`;
    if (isScalar(c)) {
      if (typeof c === "number" && !Number.isFinite(c)) throw new ValidationError(at, "must be a finite number");
      if (bound(key) && typeof c !== "number") throw new ValidationError(at, `a ${key.slice(0, 3)}<Attr> bound takes a number`);
      continue;
    }
    if (typeof c !== "object" || Array.isArray(c) || Object.keys(c).length === 0)
      throw new ValidationError(at, "must be a value or an object of operators (eq ne gt gte lt lte in)");
    for (const [op, v] of Object.entries(c)) {
      if (!OPS.has(op)) throw new ValidationError(`${at}.${op}`, "unknown operator: use eq, ne, gt, gte, lt, lte or in");
      if (op === "in") {
        if (!Array.isArray(v) || v.length > RESOURCE_LIMITS.maxInValues || !v.every(isScalar))
          throw new ValidationError(`${at}.in`, `must be a list of at most ${RESOURCE_LIMITS.maxInValues} values`);
      } else if (["gt", "gte", "lt", "lte"].includes(op) ? typeof v !== "number" || !Number.isFinite(v) : !isScalar(v)) {
        throw new ValidationError(`${at}.${op}`, ["gt", "gte", "lt", "lte"].includes(op) ? "must be a finite number" : "must be a value");
      }
    }
  }
}

/** A stored requirement list (PlanTask/TaskRun.resources, validated when the plan was created). */
export const requirementsOf = (json: unknown): ResourceRequirement[] => (Array.isArray(json) ? (json as ResourceRequirement[]) : []);

/** Validates and normalizes a requirement list; `field` names it in errors (e.g. `tasks[2].resources`). */
export function validateRequirements(list: unknown, field: string): ResourceRequirement[] {
  if (list == null) return [];
  if (!Array.isArray(list)) throw new ValidationError(field, "must be a list");
  if (list.length > RESOURCE_LIMITS.maxRequirements) throw new ValidationError(field, `at most ${RESOURCE_LIMITS.maxRequirements} requirements`);
  return list.map((r: Partial<ResourceRequirement>, i) => {
    const at = `${field}[${i}]`;
    if (typeof r !== "object" || r === null) throw new ValidationError(at, "must be an object");
    validateType(r.type, `${at}.type`);
    validateAmount(r.amount, `${at}.amount`);
    if (r.priority != null && !PRIORITIES.includes(r.priority)) throw new ValidationError(`${at}.priority`, `must be one of ${PRIORITIES.join(", ")}`);
    validateConstraints(r.constraints, `${at}.constraints`);
    if (r.durationMs != null && (!Number.isInteger(r.durationMs) || r.durationMs < 1 || r.durationMs > RESOURCE_LIMITS.maxDurationMs))
      throw new ValidationError(`${at}.durationMs`, `must be an integer between 1 and ${RESOURCE_LIMITS.maxDurationMs}`);
    return {
      type: r.type!,
      amount: r.amount!,
      priority: r.priority ?? null,
      constraints: r.constraints ?? null,
      durationMs: r.durationMs ?? null,
      releaseOnPause: r.releaseOnPause ?? false,
    };
  });
}

/** Pool attributes: a flat JSON object of scalars, bounded. */
export function validateAttributes(attributes: unknown, field: string, bytes: number): Record<string, Scalar> {
  if (attributes == null) return {};
  if (typeof attributes !== "object" || Array.isArray(attributes)) throw new ValidationError(field, "must be an object");
  for (const [k, v] of Object.entries(attributes))
    if (!isScalar(v) || (typeof v === "number" && !Number.isFinite(v))) throw new ValidationError(`${field}.${k}`, "must be a string, number, boolean or null");
  if (bytes > RESOURCE_LIMITS.maxAttributesBytes) throw new ValidationError(field, `must be at most ${RESOURCE_LIMITS.maxAttributesBytes} bytes of JSON`);
  return attributes as Record<string, Scalar>;
}

function bound(key: string): { attr: string; op: "gte" | "lte" } | null {
  const m = /^(min|max)([A-Z].*)$/.exec(key);
  return m ? { attr: m[2]![0]!.toLowerCase() + m[2]!.slice(1), op: m[1] === "min" ? "gte" : "lte" } : null;
}

function test(value: Scalar | undefined, ops: ConstraintOps): boolean {
  for (const [op, want] of Object.entries(ops)) {
    const ok =
      op === "eq" ? value === want
      : op === "ne" ? value !== want
      : op === "in" ? (want as Scalar[]).includes(value ?? null)
      : typeof value === "number" &&
        (op === "gt" ? value > (want as number) : op === "gte" ? value >= (want as number) : op === "lt" ? value < (want as number) : value <= (want as number));
    if (!ok) return false;
  }
  return true;
}

/** Whether a pool's attributes satisfy every condition. */
export function matchesConstraints(attributes: Readonly<Record<string, unknown>>, constraints: ResourceRequirement["constraints"]): boolean {
  for (const [key, c] of Object.entries(constraints ?? {})) {
    const b = typeof c === "number" ? bound(key) : null;
    const ok = b
      ? test(attributes[b.attr] as Scalar | undefined, { [b.op]: c })
      : isScalar(c)
        ? attributes[key] === c
        : test(attributes[key] as Scalar | undefined, c);
    if (!ok) return false;
  }
  return true;
}
