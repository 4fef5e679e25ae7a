import { pino, type DestinationStream, type Logger } from "pino";

export type { Logger };

// Connection strings may carry passwords: redact them wherever they are logged.
/** `destination` (default stdout) lets a test read what would be logged. */
export function createLogger(level: string, name: string, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    name,
    level,
    // API keys too: however a request, its headers or graphql-ws connectionParams end up in a log line.
    redact: {
      paths: ["*.password", "*.url", "*.databaseUrl", "*.redisUrl", "headers.authorization", "*.headers.authorization", "authorization", "*.authorization", "connectionParams", "*.connectionParams", "secret", "*.secret", "apiKey", "*.apiKey", "BOOTSTRAP_ADMIN_KEY", "*.BOOTSTRAP_ADMIN_KEY", "bootstrapAdminKey", "*.bootstrapAdminKey"],
      censor: "[redacted]",
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
