# Sourced by the rig scripts that build Kubernetes programs (sandbox-rig.sh,
# node-rig.sh). k8s_ldflags <version>: the version stamped into the binaries;
# without it the server says v0.0.0-master and Helm's kubeVersion checks
# refuse every chart.
k8s_ldflags() {
  local v=$1 minor p date
  minor=${v#v1.}; minor=${minor%%.*}
  date=$(date -u +%FT%TZ)
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    printf -- '-X %s.gitVersion=%s -X %s.gitMajor=1 -X %s.gitMinor=%s -X %s.gitTreeState=clean -X %s.buildDate=%s ' \
      "$p" "$v" "$p" "$p" "$minor" "$p" "$p" "$date"
  done
}
