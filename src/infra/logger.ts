import { pino, type Logger } from "pino";

export type { Logger };

// Connection strings may carry passwords: redact them wherever they are logged.
export function createLogger(level: string, name: string): Logger {
  return pino({
    name,
    level,
    redact: { paths: ["*.password", "*.url", "*.databaseUrl", "*.redisUrl", "headers.authorization"], censor: "[redacted]" },
  });
}
