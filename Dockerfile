# syntax=docker/dockerfile:1
# IncodeSlices in a container: `docker compose build`, then `docker compose --env-file ./.env up`.

# --- build: the SDK image runs the README's publish command, which compiles one native executable ---
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# The native link (Native AOT) needs a C toolchain and zlib.
RUN apt-get update && apt-get install -y --no-install-recommends clang zlib1g-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# The project files alone first, so that a change to the code reuses the restored packages' layer.
COPY Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Directory.Build.props src/
COPY src/Host/IncodeSlices.Host.csproj src/Host/
COPY src/Features/IncodeSlices.Features.csproj src/Features/
COPY src/Infrastructure/IncodeSlices.Infrastructure.csproj src/Infrastructure/
# Restored as the publish restores: for this machine's runtime, with the ILCompiler package.
RUN dotnet restore src/Host/IncodeSlices.Host.csproj -p:_IsPublishing=true
COPY src/ src/
RUN dotnet publish src/Host/IncodeSlices.Host.csproj -c Release -o /app/publish
# The sessions folder, empty, for the runtime image (which has no shell to make it).
RUN mkdir /app/sessions

# --- runtime: no .NET runtime, only what a native executable needs (glibc, OpenSSL, CA certificates),
# no shell, no package manager, and the image's non-root user ---
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled
WORKDIR /app
# Owned by root and read-only to the server: a compromised process cannot rewrite its own code.
# The debug symbols stay in the build stage.
COPY --from=build /app/publish/IncodeSlices.Host /app/publish/openapi.json ./
# The sessions folder belongs to the app user (UID $APP_UID = 1654, defined by the base image) and to
# no one else, as the store expects (0700). An empty named volume mounted here starts as a copy of
# this folder, owner and mode included, so the server can write to it without running as root.
COPY --from=build --chown=$APP_UID:$APP_UID --chmod=0700 /app/sessions /app/sessions
# The server binds to PORT itself; left set, the base image's 8080 only earns an "overriding" warning.
ENV PORT=3000 SESSIONS_DIR=/app/sessions ASPNETCORE_HTTP_PORTS=
USER $APP_UID
EXPOSE 3000
VOLUME /app/sessions
# The image has no curl or wget; the server's own --healthcheck mode asks /health and exits 0 or 1.
HEALTHCHECK --interval=30s --timeout=10s --start-period=15s --retries=3 \
    CMD ["/app/IncodeSlices.Host", "--healthcheck"]
ENTRYPOINT ["/app/IncodeSlices.Host"]
