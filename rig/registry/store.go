package main

// Manifests outlive the process: go-containerregistry's registry keeps them in
// memory (blobs can go to disk with its disk blob handler), so every manifest
// written or deleted is journalled in a folder, one file per repository and
// reference, and replayed through the same handler at start. A sandbox's
// images then survive `infra sandbox stop` and `start`.

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
)

type record struct {
	Repo        string `json:"repo"`
	Reference   string `json:"reference"`
	ContentType string `json:"contentType"`
	Body        []byte `json:"body"`
}

type journal struct {
	dir  string
	next http.Handler
}

// manifestPath splits /v2/<repo>/manifests/<reference>; ok is false for any other path.
func manifestPath(path string) (repo, reference string, ok bool) {
	rest, found := strings.CutPrefix(path, "/v2/")
	if !found {
		return "", "", false
	}
	i := strings.LastIndex(rest, "/manifests/")
	if i <= 0 {
		return "", "", false
	}
	reference = rest[i+len("/manifests/"):]
	if reference == "" || strings.Contains(reference, "/") {
		return "", "", false
	}
	return rest[:i], reference, true
}

func (j *journal) file(repo, reference string) string {
	sum := sha256.Sum256([]byte(repo + "\x00" + reference))
	return filepath.Join(j.dir, hex.EncodeToString(sum[:])+".json")
}

func (j *journal) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	repo, reference, ok := manifestPath(r.URL.Path)
	if !ok || (r.Method != http.MethodPut && r.Method != http.MethodDelete) {
		j.next.ServeHTTP(w, r)
		return
	}
	var body []byte
	if r.Method == http.MethodPut {
		b, err := io.ReadAll(io.LimitReader(r.Body, 32<<20))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		body = b
		r.Body = io.NopCloser(bytes.NewReader(b))
	}
	rec := httptest.NewRecorder()
	j.next.ServeHTTP(rec, r)
	// What the registry accepted is on disk before the client hears so.
	if rec.Code == http.StatusCreated {
		err := j.write(record{Repo: repo, Reference: reference, ContentType: r.Header.Get("Content-Type"), Body: body})
		if err != nil {
			http.Error(w, `{"errors":[{"code":"UNKNOWN","message":"cannot keep the manifest on disk"}]}`, http.StatusInternalServerError)
			return
		}
	}
	if rec.Code == http.StatusAccepted {
		if err := os.Remove(j.file(repo, reference)); err != nil && !os.IsNotExist(err) {
			http.Error(w, `{"errors":[{"code":"UNKNOWN","message":"cannot forget the manifest on disk"}]}`, http.StatusInternalServerError)
			return
		}
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

func (j *journal) write(r record) error {
	text, err := json.Marshal(r)
	if err != nil {
		return err
	}
	f := j.file(r.Repo, r.Reference)
	tmp := f + ".tmp"
	if err := os.WriteFile(tmp, text, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, f)
}

// replay puts every journalled manifest back into the registry.
func (j *journal) replay() error {
	entries, err := os.ReadDir(j.dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		text, err := os.ReadFile(filepath.Join(j.dir, e.Name()))
		if err != nil {
			return err
		}
		var r record
		if err := json.Unmarshal(text, &r); err != nil {
			return fmt.Errorf("%s: %w", e.Name(), err)
		}
		req := httptest.NewRequest(http.MethodPut, "/v2/"+r.Repo+"/manifests/"+r.Reference, bytes.NewReader(r.Body))
		req.Header.Set("Content-Type", r.ContentType)
		rec := httptest.NewRecorder()
		j.next.ServeHTTP(rec, req)
		if rec.Code != http.StatusCreated {
			return fmt.Errorf("%s:%s was kept but cannot be put back (%d %s)", r.Repo, r.Reference, rec.Code, strings.TrimSpace(rec.Body.String()))
		}
	}
	return nil
}
