// oci-registry: an OCI distribution registry on loopback for infra's tests
// (charts pushed and pulled as Helm does with oci:// references), on
// go-containerregistry's registry (the one its crane tool serves), and the
// sandbox's own registry (infra sandbox: images for its real node). Blobs and
// manifests live in memory for the life of the process, or with --dir in a
// folder, kept across restarts.
//
//	oci-registry --addr 127.0.0.1:0 [--cert f --key f] [--user u] [--dir d]   (password from $OCI_REGISTRY_PASSWORD)
//	oci-registry push [--ca f] <image.tar | oci-layout folder> <host:port/repository:tag>
//	oci-registry --version
//
// It prints "listening on <host:port>" once it serves. With --user, every
// request needs HTTP basic authentication (a 401 with a Basic challenge
// otherwise), as a private registry asks of `helm registry login`.
package main

import (
	"crypto/subtle"
	"crypto/tls"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"

	"github.com/google/go-containerregistry/pkg/registry"
)

// stamp is set at build time to the hash of this folder, so the rig script
// can tell a stale binary from a current one.
var stamp = "dev"

func main() {
	if len(os.Args) > 1 && os.Args[1] == "push" {
		if err := push(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "oci-registry push: "+err.Error())
			os.Exit(1)
		}
		return
	}
	addr := flag.String("addr", "127.0.0.1:0", "host:port to listen on")
	cert := flag.String("cert", "", "TLS certificate (PEM); with --key, serve https")
	key := flag.String("key", "", "TLS key (PEM)")
	user := flag.String("user", "", "require basic authentication as this user (password in $OCI_REGISTRY_PASSWORD)")
	dir := flag.String("dir", "", "keep blobs and manifests in this folder (default: in memory)")
	version := flag.Bool("version", false, "print the build stamp and exit")
	flag.Parse()
	if *version {
		fmt.Println("oci-registry " + stamp)
		return
	}
	if (*cert == "") != (*key == "") {
		log.Fatal("--cert and --key go together")
	}
	password := os.Getenv("OCI_REGISTRY_PASSWORD")
	if *user != "" && password == "" {
		log.Fatal("--user needs a password in $OCI_REGISTRY_PASSWORD")
	}
	opts := []registry.Option{registry.Logger(log.New(io.Discard, "", 0))}
	if *dir != "" {
		for _, d := range []string{"blobs", "manifests"} {
			if err := os.MkdirAll(filepath.Join(*dir, d), 0o700); err != nil {
				log.Fatal(err)
			}
		}
		opts = append(opts, registry.WithBlobHandler(registry.NewDiskBlobHandler(filepath.Join(*dir, "blobs"))))
	}
	var h http.Handler = registry.New(opts...)
	if *dir != "" {
		j := &journal{dir: filepath.Join(*dir, "manifests"), next: h}
		if err := j.replay(); err != nil {
			log.Fatal("the kept manifests cannot be read: ", err)
		}
		h = j
	}
	if *user != "" {
		h = basicAuth(h, *user, password)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("listening on %s\n", ln.Addr())
	// HTTP/1.1 only: over HTTP/2 a client's upload of a large blob (infra's
	// image, ~100 MB a layer) stalled after the first bytes and never ended.
	srv := &http.Server{Handler: h, TLSNextProto: map[string]func(*http.Server, *tls.Conn, http.Handler){}}
	if *cert != "" {
		err = srv.ServeTLS(ln, *cert, *key)
	} else {
		err = srv.Serve(ln)
	}
	log.Fatal(err)
}

func basicAuth(next http.Handler, user, password string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, p, ok := r.BasicAuth()
		if !ok || subtle.ConstantTimeCompare([]byte(u), []byte(user)) != 1 || subtle.ConstantTimeCompare([]byte(p), []byte(password)) != 1 {
			w.Header().Set("WWW-Authenticate", `Basic realm="oci-registry"`)
			http.Error(w, `{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}`, http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}
