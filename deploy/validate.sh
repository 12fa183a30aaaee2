#!/usr/bin/env bash
# Validates the Kubernetes manifests against the API schemas of a pinned Kubernetes version,
# offline: every manifest on its own, then the whole kustomization as kubectl renders it.
#   deploy/validate.sh                 the manifests in deploy/kubernetes
#   deploy/validate.sh DIR             another folder of manifests (an overlay, a broken copy)
# Exits non-zero, naming each problem, when anything is invalid, including a resource whose
# kind or apiVersion has no schema (a typo there would otherwise pass unchecked).
# The validator (PyPI's kubernetes-validate, schemas bundled) is installed by
# `.ci/install.sh --test` into $HOME/.cache/cairn/venv.
set -euo pipefail

# The Kubernetes version the manifests are checked against, pinned so a validator upgrade
# cannot change the verdict. (They use autoscaling/v2, policy/v1 and the preStop `sleep`
# action, which need Kubernetes 1.30 or later.)
KUBERNETES_VERSION=1.34.0

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${1:-$ROOT/deploy/kubernetes}"
VALIDATOR="${CAIRN_VENV:-$HOME/.cache/cairn/venv}/bin/kubernetes-validate"

fail() { printf 'deploy/validate.sh: %s\n' "$*" >&2; exit 1; }

[ -x "$VALIDATOR" ] || fail "$VALIDATOR is missing: run .ci/install.sh --test"
[ -d "$DIR" ] || fail "$DIR is not a folder"

problems=0
# Runs the validator on one file; any warning (such as an unknown kind) counts as a failure.
check() {
  local file="$1" output status=0
  output=$("$VALIDATOR" --strict --kubernetes-version "$KUBERNETES_VERSION" "$file" 2>&1) || status=$?
  if [ "$status" -ne 0 ] || printf '%s\n' "$output" | grep -qvE '^INFO .* passed for resource '; then
    printf '%s\n' "$output" | grep -vE '^INFO .* passed for resource ' >&2 || true
    printf 'INVALID: %s\n' "$file" >&2
    problems=$((problems + 1))
  else
    printf '%s\n' "$output"
  fi
}

shopt -s nullglob
manifests=()
for file in "$DIR"/*.yaml "$DIR"/*.yml; do
  # The kustomization is kustomize's own format, not an API object: it is checked by
  # rendering it below.
  case "$(basename "$file")" in
    kustomization.yaml | kustomization.yml) continue ;;
  esac
  manifests+=("$file")
done
[ "${#manifests[@]}" -gt 0 ] || fail "no manifests in $DIR"

echo "Validating ${#manifests[@]} manifests in $DIR against Kubernetes $KUBERNETES_VERSION (strict)"
for file in "${manifests[@]}"; do
  check "$file"
done

if [ -e "$DIR/kustomization.yaml" ]; then
  if command -v kubectl >/dev/null; then
    rendered="$(mktemp --suffix=.yaml)"
    trap 'rm -f "$rendered"' EXIT
    echo "Rendering the kustomization with kubectl kustomize"
    if kubectl kustomize "$DIR" >"$rendered"; then
      check "$rendered"
    else
      printf 'INVALID: %s/kustomization.yaml does not render\n' "$DIR" >&2
      problems=$((problems + 1))
    fi
  else
    echo "kubectl is not installed: the kustomization was not rendered (each manifest was validated)"
  fi
fi

if [ "$problems" -ne 0 ]; then
  fail "$problems invalid (see above)"
fi
echo "All manifests are valid for Kubernetes $KUBERNETES_VERSION"
