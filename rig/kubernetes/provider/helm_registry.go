package provider

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net/http"
	"os"

	"helm.sh/helm/v3/pkg/cli"
	"helm.sh/helm/v3/pkg/registry"
)

// registryClient is the client for a chart at an oci:// reference. The
// Release's username and password are handed to each request and never
// written down: `helm registry login` (the registry client's Login) would keep
// them, base64 only, in the user's registry config file. Without them, the
// logins the user made with helm or docker are read, as `helm pull` does.
func registryClient(s releaseSpec, settings *cli.EnvSettings) (*registry.Client, error) {
	tlsConf, err := clientTLS(s.certFile, s.keyFile, s.caFile)
	if err != nil {
		return nil, err
	}
	opts := []registry.ClientOption{
		registry.ClientOptEnableCache(true),
		registry.ClientOptWriter(io.Discard),
		registry.ClientOptCredentialsFile(settings.RegistryConfig),
		registry.ClientOptHTTPClient(&http.Client{Transport: &http.Transport{TLSClientConfig: tlsConf, Proxy: http.ProxyFromEnvironment}}),
	}
	if s.username != "" {
		opts = append(opts, registry.ClientOptBasicAuth(s.username, s.password))
	}
	return registry.NewClient(opts...)
}

// clientTLS: the system's roots plus caFile, and a client certificate when both files are given.
func clientTLS(certFile, keyFile, caFile string) (*tls.Config, error) {
	conf := &tls.Config{MinVersion: tls.VersionTLS12}
	if (certFile == "") != (keyFile == "") {
		return nil, fmt.Errorf("repositoryOpts: certFile and keyFile go together")
	}
	if certFile != "" {
		pair, err := tls.LoadX509KeyPair(certFile, keyFile)
		if err != nil {
			return nil, fmt.Errorf("repositoryOpts.certFile/keyFile: %w", err)
		}
		conf.Certificates = []tls.Certificate{pair}
	}
	if caFile != "" {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return nil, fmt.Errorf("repositoryOpts.caFile: %w", err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("repositoryOpts.caFile %s holds no PEM certificate", caFile)
		}
		conf.RootCAs = pool
	}
	return conf, nil
}
