#!/usr/bin/env bash
# Runs a command with TF_PROVIDER_MIRROR pointing at a local filesystem mirror of hashicorp/aws,
# discovered on this machine if not already set, so offline `terraform validate` can run.
# Nothing is downloaded; when no mirror is found the command still runs and the terraform check
# prints a loud SKIPPED banner saying why.
set -euo pipefail
if [ -z "${TF_PROVIDER_MIRROR:-}" ]; then
  for root in "$HOME/.terraform.d/plugins" "$HOME/.local/share/terraform/plugins" /usr/local/share/terraform/plugins /usr/share/terraform/plugins /opt /srv /usr/local; do
    [ -d "$root" ] || continue
    found=$(find "$root" -maxdepth 5 -type d -path '*/registry.terraform.io/hashicorp/aws' 2>/dev/null | head -n 1)
    if [ -n "$found" ]; then
      export TF_PROVIDER_MIRROR="${found%/registry.terraform.io/hashicorp/aws}"
      break
    fi
  done
fi
echo "terraform provider mirror: ${TF_PROVIDER_MIRROR:-none found (offline validate will be skipped loudly)}" >&2
exec "$@"
