package main

// `oci-registry push`: an image from a `docker save` tarball or an OCI layout
// folder to a registry, for machines with no Docker (infra sandbox push).

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"

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
