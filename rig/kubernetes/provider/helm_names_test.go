package provider

import (
	"reflect"
	"testing"
)

func TestResourceNames(t *testing.T) {
	manifest := `---
# Source: web/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: web
---
# Source: web/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: apps
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: admin
  namespace: apps
---
# Source: web/templates/empty.yaml
`
	got := resourceNames(manifest)
	want := map[string]any{
		"Service/v1":              []any{"web"},
		"Deployment.apps/apps/v1": []any{"apps/admin", "apps/web"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("resourceNames = %#v, want %#v", got, want)
	}
}
