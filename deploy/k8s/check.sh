#!/usr/bin/env bash
# Checks deploy/k8s without a cluster: kustomize renders it, each object parses as its kind,
# and the objects name each other consistently.   deploy/k8s/check.sh [KUBECTL]
set -euo pipefail
kubectl=${1:-kubectl}
dir=$(cd "$(dirname "$0")" && pwd)
rendered=$("$kubectl" kustomize "$dir")
names=$("$kubectl" label --local -o name checked=yes \
  -f "$dir/deployment.yaml" -f "$dir/service.yaml" -f "$dir/hpa.yaml")
for want in deployment.apps/tern-serve service/tern-serve \
  horizontalpodautoscaler.autoscaling/tern-serve; do
  grep -qx "$want" <<<"$names" || { echo "check.sh: no $want in: $names"; exit 1; }
done
# The HPA scales the Deployment; the Service selects its pods and reaches its named port.
grep -q 'scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: tern-serve}' \
  "$dir/hpa.yaml" || { echo "check.sh: the HPA does not target the Deployment"; exit 1; }
[[ $(grep -c 'app.kubernetes.io/name: tern-serve' <<<"$rendered") -ge 5 ]] ||
  { echo "check.sh: the labels and selectors disagree"; exit 1; }
grep -q 'targetPort: http' <<<"$rendered" && grep -q 'name: http' <<<"$rendered" ||
  { echo "check.sh: the Service's target port is not the container's"; exit 1; }
echo "deploy/k8s: 3 objects render and parse"
