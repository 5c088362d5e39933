# syntax=docker/dockerfile:1
# One image for both processes of the OpenVox operator:
#   docker run IMAGE webhook    --port 9443 --tls-cert /path/tls.crt --tls-key /path/tls.key
#   docker run IMAGE controller --port 8080 --leader-elect --leader-election-namespace NS
# The Helm chart (charts/openvox-operator) runs it this way; its default image is
# ghcr.io/openvox/openvox-operator:<appVersion>. Build from the repository root:
#   docker build -t ghcr.io/openvox/openvox-operator:0.1.0 .

ARG NODE_IMAGE=node:24-bookworm-slim

# --- build: all dependencies, compile TypeScript -------------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /src
# Manifests first so the dependency layer is cached until a package.json or the lock file changes.
COPY package.json package-lock.json tsconfig.base.json ./
COPY shared/package.json shared/
COPY webhook/package.json webhook/
COPY controller/package.json controller/
COPY test/package.json test/
RUN npm ci --no-audit --no-fund
COPY shared shared
COPY webhook webhook
COPY controller controller
COPY test test
RUN npm run build

# --- runtime: production dependencies of the three runtime workspaces only -----------------------
FROM ${NODE_IMAGE} AS runtime
LABEL org.opencontainers.image.title="openvox-operator" \
      org.opencontainers.image.description="OpenVox operator: admission webhook and controller for OpenVox Server" \
      org.opencontainers.image.licenses="Apache-2.0"
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY webhook/package.json webhook/
COPY controller/package.json controller/
RUN npm ci --omit=dev --no-audit --no-fund -w shared -w webhook -w controller \
 && npm cache clean --force
COPY --from=build /src/shared/dist shared/dist
COPY --from=build /src/webhook/dist webhook/dist
COPY --from=build /src/controller/dist controller/dist
# The first argument picks the process; the rest are its flags.
RUN printf '%s\n' '#!/bin/sh' \
      'case "$1" in' \
      '  webhook|controller) app="$1"; shift; exec node "/app/$app/dist/main.js" "$@" ;;' \
      '  *) echo "usage: (webhook|controller) [flags...]" >&2; exit 64 ;;' \
      'esac' > /usr/local/bin/openvox-operator \
 && chmod 0755 /usr/local/bin/openvox-operator
# Numeric non-root user above 10000 (clear of the host's system and login users), so runAsNonRoot can
# verify it; the chart runs the pods with the same IDs.
RUN groupadd --gid 10001 openvox && useradd --uid 10001 --gid 10001 --home-dir /app --no-create-home \
      --shell /usr/sbin/nologin openvox
USER 10001:10001
EXPOSE 9443 8080
ENTRYPOINT ["/usr/local/bin/openvox-operator"]
CMD ["controller"]
