# One image for every role: `npm run api` (default), `npm run worker`, `npm run db:migrate`.
FROM node:20-slim
WORKDIR /app

# Prisma's CLI probes OpenSSL during `prisma generate`; the slim image does not ship it.
RUN apt-get update \
  && apt-get install -y --no-install-recommends openssl \
  && rm -rf /var/lib/apt/lists/*

# `npm ci` runs the postinstall hook (`prisma generate`), which reads prisma.config.ts and
# prisma/schema.prisma, so those come in before the install. Dev dependencies stay installed:
# `npm run db:migrate` needs @prisma/schema-engine-wasm.
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund

# .dockerignore keeps node_modules/, generated/ and data/ out, so this does not clobber the install.
COPY . .

# Only embedded mode (no DATABASE_URL/REDIS_URL) writes files: PGlite under ./data.
RUN mkdir -p data && chown node:node data

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000
EXPOSE 4000
USER node
CMD ["npm", "run", "api"]
