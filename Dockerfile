# syntax=docker/dockerfile:1.7
# One image per app: docker build --build-arg APP=user-account -t tradecore/user-account .
# The deps and build stages do not depend on APP, so building all six apps compiles once.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# npm ci's postinstall applies these fixes to dependencies (patch-package).
COPY patches ./patches
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund

FROM deps AS build
COPY .swcrc tsconfig.json tsconfig.build.json nest-cli.json ./
COPY apps ./apps
COPY libs ./libs
COPY scripts ./scripts
RUN npm run build

FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
# npm ci's postinstall applies these fixes to dependencies (patch-package).
COPY patches ./patches
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
ARG APP
# Outside a container the apps listen on loopback only; in one, the published port or the
# Kubernetes Service is the boundary, so they listen on every interface of the container.
ENV NODE_ENV=production \
    NODE_OPTIONS=--enable-source-maps \
    HOST=0.0.0.0 \
    PORT=3000 \
    APP=${APP}
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY package.json ./
COPY --from=build /app/dist/libs ./dist/libs
COPY --from=build /app/dist/apps/${APP} ./dist/apps/${APP}
# A wrong or missing APP fails the build here instead of crash-looping the container.
RUN test -n "${APP}" -a -f "dist/apps/${APP}/src/main.js" \
    || { echo "APP must name an app under apps/ (got '${APP}')" >&2; exit 1; }
# The image's own user (uid 1000); the code and node_modules stay root-owned and read-only to it.
USER node
EXPOSE 3000
# Slim images have no curl; Node 20's fetch does the probe. Compose and Kubernetes use their own probes too.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# exec makes node PID 1, so SIGTERM reaches Nest's shutdown hooks directly.
CMD exec node "dist/apps/${APP}/src/main.js"
