# One image for all three processes; docker-compose.yml picks the entry point.
FROM node:20-bookworm-slim
RUN npm i -g pnpm@12.4.2
WORKDIR /app
COPY pnpm-workspace.yaml package.json pnpm-lock.yaml tsconfig.base.json ./
COPY packages/contracts/package.json packages/contracts/
COPY packages/shared/package.json packages/shared/
COPY packages/http/package.json packages/http/
COPY packages/embedded/package.json packages/embedded/
COPY services/ingest/package.json services/ingest/
COPY services/reporting/package.json services/reporting/
COPY web/package.json web/
RUN pnpm install --frozen-lockfile
COPY . .
RUN pnpm --filter @affiliate/web build
ENV HOST=0.0.0.0 NODE_ENV=production
USER node
