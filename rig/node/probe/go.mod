// The test image's API client: what a pod does to call the API server.
module infra.local/rig/node/probe

go 1.26.0
