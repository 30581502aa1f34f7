package main

// `oci-registry push`: an image from a `docker save` tarball or an OCI layout
// folder to a registry, for machines with no Docker (infra sandbox push, and
// the meta environment's push of infra's image to a cloud's registry). The
// login: OCI_REGISTRY_USERNAME and OCI_REGISTRY_PASSWORD from the environment
// (never argv), else what `docker login` keeps (~/.docker/config.json).

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

func push(args []string) error {
	fs := flag.NewFlagSet("push", flag.ContinueOnError)
	ca := fs.String("ca", "", "the registry's CA certificate (PEM)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return errors.New("usage: oci-registry push [--ca file] <image.tar | oci-layout folder> <registry/repository:tag>")
	}
	src, dst := fs.Arg(0), fs.Arg(1)
	ref, err := name.ParseReference(dst, name.StrictValidation)
	if err != nil {
		return fmt.Errorf("%s is not an image reference: %w", dst, err)
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	// Only the registry named: never a proxy from the environment.
	transport.Proxy = nil
	if *ca != "" {
		pem, err := os.ReadFile(*ca)
		if err != nil {
			return err
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return fmt.Errorf("%s holds no PEM certificate", *ca)
		}
		transport.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	opts := []remote.Option{remote.WithTransport(transport)}
	if user, pass := os.Getenv("OCI_REGISTRY_USERNAME"), os.Getenv("OCI_REGISTRY_PASSWORD"); user != "" || pass != "" {
		opts = append(opts, remote.WithAuth(&authn.Basic{Username: user, Password: pass}))
	} else {
		opts = append(opts, remote.WithAuthFromKeychain(authn.DefaultKeychain))
	}
	info, err := os.Stat(src)
	if err != nil {
		return err
	}
	var digest v1.Hash
	if info.IsDir() {
		idx, err := layout.ImageIndexFromPath(src)
		if err != nil {
			return fmt.Errorf("%s is not an OCI layout: %w", src, err)
		}
		m, err := idx.IndexManifest()
		if err != nil {
			return err
		}
		// A layout of one image pushes that image; of several, the index.
		if len(m.Manifests) == 1 && m.Manifests[0].MediaType.IsImage() {
			img, err := idx.Image(m.Manifests[0].Digest)
			if err != nil {
				return err
			}
			if err := remote.Write(ref, img, opts...); err != nil {
				return err
			}
			digest, err = img.Digest()
			if err != nil {
				return err
			}
		} else {
			if err := remote.WriteIndex(ref, idx, opts...); err != nil {
				return err
			}
			digest, err = idx.Digest()
			if err != nil {
				return err
			}
		}
	} else {
		img, err := tarball.ImageFromPath(src, nil)
		if err != nil {
			return fmt.Errorf("%s is not an image tarball (docker save or a single-image archive): %w", src, err)
		}
		if err := remote.Write(ref, img, opts...); err != nil {
			return err
		}
		digest, err = img.Digest()
		if err != nil {
			return err
		}
	}
	fmt.Printf("pushed %s@%s\n", ref.Context().Name(), digest)
	return nil
}
