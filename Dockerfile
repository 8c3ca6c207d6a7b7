# trailgraph: the API server, for a container platform behind a load balancer.
#   docker build -t trailgraph .
#   docker compose up          (the API, DynamoDB Local, an S3-compatible server)
# Stage 1 compiles the TypeScript; stage 2 holds the production install only.
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY resolvers ./resolvers
COPY scripts ./scripts
COPY bench ./bench
COPY test/athena-emulator ./test/athena-emulator
RUN npx tsc -p tsconfig.build.json

FROM node:20-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# Read at run time: the CLI entry, GraphiQL's and the dashboard's own files (src/**/public), the saved investigations, the built-in detection rules, example policies.
COPY bin ./bin
COPY src ./src
COPY investigations ./investigations
COPY detections ./detections
COPY policies ./policies
RUN mkdir -p /data && chown node:node /data
USER node
# The embedded store, its access log and its decision cache live on the volume.
VOLUME ["/data"]
ENV TRAILGRAPH_DB=/data/trail.duckdb \
    TRAILGRAPH_HOST=0.0.0.0 \
    TRAILGRAPH_PORT=4000 \
    TRAILGRAPH_METRICS_PORT=9464
EXPOSE 4000 9464
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s CMD ["node", "-e", "fetch('http://127.0.0.1:4000/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "bin/trailgraph.cjs"]
CMD ["serve"]
