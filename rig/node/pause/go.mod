// The sandbox's pause image: the process that holds a pod's namespaces
// (the official one comes from a container registry; this is ours).
module infra.local/rig/node/pause

go 1.26.0
