#!/usr/bin/env bash
# `distarch init`: a topology inferred from compose files, Kubernetes
# manifests (with a HorizontalPodAutoscaler), Procfiles, folders and the
# code; it loads with `topology check`, never overwrites without --force.
. "$(dirname "$0")/lib.sh"

ex=$TMP/video-platform
cp -r "$DISTARCH_SRC/examples/video-platform" "$ex"
run -q init "$ex"
expect_rc 2 "init refuses to overwrite the example's topology"
expect_err 'topology.yaml exists: not overwriting it \(--force replaces it' "and says how to"
cmp -s "$ex/.dist-architect/topology.yaml" "$DISTARCH_SRC/examples/video-platform/.dist-architect/topology.yaml" && pass "the file is unchanged" || fail "the file is unchanged"

run -q init "$ex" --force
expect_rc 0 "--force overwrites"
run topology check "$ex/.dist-architect/topology.yaml"
expect_rc 0 "the written topology loads"
expect_out 'ok \(4 components, 4 relationships' "folders and the systems the code talks to are components"
out_file=$ex/.dist-architect/topology.yaml
grep -q '# from code: engine/stream.py:42 `self.redis.xadd` (queue.publish)' "$out_file" && pass "each relationship says which call shows it" || fail "each relationship says which call shows it"
grep -q 'count: 1 (assumed)  # no manifest gives a count' "$out_file" && pass "a count no manifest gives is marked assumed" || fail "a count no manifest gives is marked assumed"
run -q topology drift "$out_file"
expect_out '4 relationships: 4 with code on a side, 4 shown by the code' "drift confirms every relationship init wrote"

# A tree with a compose file, Kubernetes manifests with an HPA, a Procfile.
r=$TMP/shop
mkdir -p "$r/api" "$r/worker" "$r/deploy" "$r/ops"
cat >"$r/docker-compose.yml" <<'YAML'
services:
  api:
    build: ./api
    deploy:
      replicas: 2
  worker:
    build:
      context: ./worker
    scale: ${WORKERS:-3}
  redis:
    image: redis:7
YAML
cat >"$r/deploy/k8s.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
spec:
  replicas: 3
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: worker
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: worker}
  minReplicas: 2
  maxReplicas: 12
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: ledger
spec:
  replicas: 1
YAML
printf 'web: gunicorn api.app:app\nclock: python ops/clock.py\n' >"$r/Procfile"
cat >"$r/api/app.py" <<'PY'
import redis

r = redis.Redis()

def submit(job):
    r.xadd("jobs", job)
PY
cat >"$r/worker/main.py" <<'PY'
import redis

def loop(r: redis.Redis):
    while True:
        for _, entries in r.xreadgroup("g", "c", {"jobs": ">"}):
            pass
PY
run -q init "$r" --dry-run
expect_rc 0 "init --dry-run on a tree with manifests"
expect_out '^  - name: worker$' "the compose service and the folder are one component"
expect_out 'count: 2-12 \(dynamic\)  # deploy/k8s.yaml:[0-9]+ HorizontalPodAutoscaler' "the HPA makes the worker's count dynamic"
expect_out 'count: 2 \(fixed\)  # docker-compose.yml:5 deploy.replicas: 2' "deploy.replicas gives the api's count"
expect_out 'count: 1 \(fixed\)  # deploy/k8s.yaml:[0-9]+ spec.replicas: 1' "a StatefulSet's replicas"
expect_out '^  - name: clock$' "a Procfile process type is a component"
expect_out '      - worker/\*\*' "build.context maps the folder"
expect_out '^  - from: api$' "the code's publish is a relationship"
[ ! -e "$r/.dist-architect/topology.yaml" ] && pass "--dry-run writes nothing" || fail "--dry-run writes nothing"
run -q init "$r"
expect_rc 0 "init writes"
run topology check "$r/.dist-architect/topology.yaml"
expect_rc 0 "which topology check loads"
run -q init "$r"
expect_rc 2 "a second init refuses"

# Bad manifests are errors with file:line:column, and nothing is written.
b=$TMP/bad
mkdir -p "$b/svc"
printf 'services:\n  api: [1, 2]\n' >"$b/compose.yaml"
run -q init "$b"
expect_rc 2 "a compose service that is not a mapping exits 2"
expect_err '^compose.yaml:2:3: error: service api is a list' "with file:line:column"
rm "$b/compose.yaml"
printf 'web gunicorn app\n' >"$b/Procfile"
run -q init "$b"
expect_rc 2 "a Procfile line without a colon exits 2"
expect_err 'Procfile:1:4: error: not a process type' "with file:line:column"
[ ! -e "$b/.dist-architect" ] && pass "nothing written on error" || fail "nothing written on error"
rm "$b/Procfile"
run -q init "$b"
expect_rc 2 "nothing to infer exits 2"
expect_err 'found nothing to infer components from' "and says so"
finish
