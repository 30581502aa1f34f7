// probe GETs an https URL as the pod's service account (its token and the
// cluster's CA, where Kubernetes mounts them) and prints the status line and
// the body; busybox has no TLS client of its own.
package main

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"
)

const sa = "/var/run/secrets/kubernetes.io/serviceaccount/"

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: probe https://kubernetes.default.svc/api/v1/namespaces")
		os.Exit(2)
	}
	ca, err := os.ReadFile(sa + "ca.crt")
	if err != nil {
		fail(err)
	}
	token, err := os.ReadFile(sa + "token")
	if err != nil {
		fail(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(ca)
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	req, err := http.NewRequest(http.MethodGet, os.Args[1], nil)
	if err != nil {
		fail(err)
	}
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(string(token)))
	res, err := client.Do(req)
	if err != nil {
		fail(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	fmt.Println(res.Status)
	os.Stdout.Write(body)
	if res.StatusCode >= 300 {
		os.Exit(1)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "probe:", err)
	os.Exit(1)
}
