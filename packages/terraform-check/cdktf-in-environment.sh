#!/usr/bin/env bash
# `nx run <app>:deploy|diff [-c <env>] -- [stack...]`: cdktf on dist/<env>/<app>, the folder the synth
# of the same configuration wrote, never another environment's. Says which environment first.
set -euo pipefail
command=$1 app=$2
shift 2
environment=${NX_TASK_TARGET_CONFIGURATION:-${PLATFORM_ENV:-prod}}
if [ -n "${PLATFORM_ENV:-}" ] && [ "$PLATFORM_ENV" != "$environment" ]; then
  echo "PLATFORM_ENV=$PLATFORM_ENV but this task runs for $environment; fix: nx run $app:$command -c $PLATFORM_ENV" >&2
  exit 2
fi
root=$(cd "$(dirname "$0")/../.." && pwd)
output="dist/$environment/$app"
if [ ! -f "$root/$output/manifest.json" ]; then
  echo "$output/manifest.json does not exist; fix: nx run $app:synth -c $environment" >&2
  exit 2
fi
node "$root/packages/synth-executor/src/print-notes.cjs" "$environment" "$app"
echo "cdktf $command --skip-synth: environment $environment ($output)" >&2
cd "$root/apps/$app"
exec npx cdktf "$command" --skip-synth --output "../../$output" "$@"
