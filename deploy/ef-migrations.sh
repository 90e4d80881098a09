#!/usr/bin/env bash
# EF Core migrations of the webmail's database, for both providers at once.
#
#   deploy/ef-migrations.sh add <Name>      add migration <Name> for SQLite and PostgreSQL
#   deploy/ef-migrations.sh remove          remove the last migration of both providers
#   deploy/ef-migrations.sh list            list the migrations of both providers
#   deploy/ef-migrations.sh script          print the SQL of every migration, per provider
#
# Entities are added as IEntityTypeConfiguration<T> classes in src/MSSante.Infrastructure;
# then one migration is added here for both providers. The web host applies pending
# migrations at start-up.
#
# Microsoft.EntityFrameworkCore.Design does not restore from the registry reachable here
# (Mono.TextTemplating is missing): a throwaway start-up project, outside the repository,
# downloads it with PackageDownload and references its assembly directly, plus the two
# packages code generation actually needs. See ../shared/ENVIRONMENT.md.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

ef_version=10.0.14
project=src/MSSante.Infrastructure/MSSante.Infrastructure.csproj
declare -A contexts=([Sqlite]=SqliteMSSanteDbContext [PostgreSql]=PostgreSqlMSSanteDbContext)

usage() {
  sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
}

design_project() {
  local dir="${TMPDIR:-/tmp}/mssante-ef-design-$(id -u)"
  mkdir -p "$dir"
  local packages
  packages="$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')"
  cat >"$dir/EfDesign.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <OutputType>Library</OutputType>
    <!-- dotnet-ef runs inside this project's runtime configuration: it must name ASP.NET Core. -->
    <GenerateRuntimeConfigurationFiles>true</GenerateRuntimeConfigurationFiles>
    <Nullable>enable</Nullable>
    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
    <!-- The Design assembly references Mono.TextTemplating, which is never loaded for C# migrations. -->
    <MSBuildWarningsAsMessages>MSB3277;MSB3243</MSBuildWarningsAsMessages>
  </PropertyGroup>
  <ItemGroup>
    <PackageDownload Include="Microsoft.EntityFrameworkCore.Design" Version="[$ef_version]" />
    <Reference Include="Microsoft.EntityFrameworkCore.Design">
      <HintPath>${packages%/}/microsoft.entityframeworkcore.design/$ef_version/lib/net10.0/Microsoft.EntityFrameworkCore.Design.dll</HintPath>
    </Reference>
    <PackageReference Include="Humanizer.Core" Version="2.14.1" />
    <PackageReference Include="Microsoft.CodeAnalysis.CSharp.Workspaces" Version="5.12.0" />
    <FrameworkReference Include="Microsoft.AspNetCore.App" />
    <ProjectReference Include="$root/$project" />
  </ItemGroup>
</Project>
XML
  # Restore first: the HintPath above only exists once the PackageDownload happened.
  dotnet restore "$dir/EfDesign.csproj" >/dev/null
  printf '%s\n' "$dir/EfDesign.csproj"
}

ef() { # provider, then dotnet-ef arguments
  local provider=$1; shift
  dotnet tool run dotnet-ef -- "$@" \
    --project "$project" --startup-project "$startup" \
    --context "${contexts[$provider]}" --no-build
}

build() {
  # Built once here (dotnet-ef would build per provider). EF_BUILD_FLAGS passes extra
  # arguments, e.g. -p:BuildProjectReferences=false while a referenced project is mid-change.
  # shellcheck disable=SC2086
  dotnet build "$startup" -nologo -clp:ErrorsOnly ${EF_BUILD_FLAGS:-} >&2
}

keep_snapshot_beside_migrations() { # provider
  # dotnet-ef writes a new model snapshot under a folder named after its whole namespace
  # (MSSante/Infrastructure/Persistence/...) rather than beside the migrations, and then keeps
  # updating it wherever it finds it. Put it back beside its migrations, where it belongs.
  local provider=$1 dir="src/MSSante.Infrastructure/Persistence/Migrations/$1"
  local name="${contexts[$provider]}ModelSnapshot.cs" found
  while IFS= read -r found; do
    [[ "$found" == "$dir/$name" ]] && continue
    echo "[ef] moving $found beside the $provider migrations"
    mv -f "$found" "$dir/$name"
  done < <(find src/MSSante.Infrastructure -name "$name" -not -path '*/bin/*' -not -path '*/obj/*')
  find src/MSSante.Infrastructure/MSSante -type d -empty -delete 2>/dev/null || true
}

[[ $# -ge 1 ]] || usage
dotnet tool restore >/dev/null
startup="$(design_project)"
build

case "$1" in
  add)
    [[ $# -eq 2 ]] || usage
    for provider in Sqlite PostgreSql; do
      echo "[ef] adding $2 for $provider"
      ef "$provider" migrations add "$2" \
        --output-dir "Persistence/Migrations/$provider" \
        --namespace "MSSante.Infrastructure.Persistence.Migrations.$provider"
      keep_snapshot_beside_migrations "$provider"
    done
    ;;
  remove)
    for provider in Sqlite PostgreSql; do
      echo "[ef] removing the last migration for $provider"
      ef "$provider" migrations remove --force
    done
    ;;
  list)
    for provider in Sqlite PostgreSql; do
      echo "[ef] $provider"
      ef "$provider" migrations list --no-connect
    done
    ;;
  script)
    for provider in Sqlite PostgreSql; do
      echo "-- $provider"
      ef "$provider" migrations script --idempotent
    done
    ;;
  *) usage ;;
esac
