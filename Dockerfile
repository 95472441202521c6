# IncodeSlices in a container: `docker compose build`, then `docker compose --env-file ./.env up`.

# --- build: the SDK image runs the README's publish command ---
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# The project files alone first, so that a change to the code reuses the restored packages' layer.
COPY Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Host/IncodeSlices.Host.csproj src/Host/
COPY src/Features/IncodeSlices.Features.csproj src/Features/
COPY src/Infrastructure/IncodeSlices.Infrastructure.csproj src/Infrastructure/
RUN dotnet restore src/Host/IncodeSlices.Host.csproj
COPY src/ src/
RUN dotnet publish src/Host/IncodeSlices.Host.csproj -c Release -o /app/publish

# --- runtime: ASP.NET Core only, as the image's non-root user ---
FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
# Owned by root and read-only to the server: a compromised process cannot rewrite its own code.
COPY --from=build /app/publish .
# The sessions folder belongs to the app user (UID $APP_UID = 1654, defined by the base image) and to
# no one else, as the store expects (0700). An empty named volume mounted here starts as a copy of
# this folder, owner and mode included, so the server can write to it without running as root.
RUN mkdir -p /app/sessions && chown "$APP_UID:$APP_UID" /app/sessions && chmod 0700 /app/sessions
# The server binds to PORT itself; left set, the base image's 8080 only earns an "overriding" warning.
ENV PORT=3000 SESSIONS_DIR=/app/sessions ASPNETCORE_HTTP_PORTS=
USER $APP_UID
EXPOSE 3000
VOLUME /app/sessions
# The image has no curl or wget; the server's own --healthcheck mode asks /health and exits 0 or 1.
HEALTHCHECK --interval=30s --timeout=10s --start-period=15s --retries=3 \
    CMD ["dotnet", "IncodeSlices.Host.dll", "--healthcheck"]
ENTRYPOINT ["dotnet", "IncodeSlices.Host.dll"]
