package scheduler

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"

	"github.com/nats-io/nats.go"

	"github.com/acme/build-farm/internal/protocol"
)

// API is the HTTP front of the farm: CI webhooks and the CLI post builds here.
type API struct {
	js    nats.JetStreamContext
	store *BuildStore
}

func NewAPI(js nats.JetStreamContext, store *BuildStore) *API {
	return &API{js: js, store: store}
}

type buildRequest struct {
	Repo    string            `json:"repo"`
	Commit  string            `json:"commit"`
	Image   string            `json:"image"`
	Steps   []string          `json:"steps"`
	Env     map[string]string `json:"env"`
	Outputs []string          `json:"outputs"`
}

func newID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// createBuild resolves the pipeline into a spec, records the build and
// queues the spec.
func (a *API) createBuild(w http.ResponseWriter, r *http.Request) {
	var req buildRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Repo == "" || len(req.Steps) == 0 {
		http.Error(w, "repo and steps are required", http.StatusBadRequest)
		return
	}
	spec := protocol.BuildSpec{
		ID: newID(), Repo: req.Repo, Commit: req.Commit, Image: req.Image,
		Steps: req.Steps, Env: req.Env, Outputs: req.Outputs,
	}
	if spec.Image == "" {
		spec.Image = "golang:1.22"
	}
	if err := a.store.Create(r.Context(), spec.ID, spec.Repo, spec.Commit); err != nil {
		http.Error(w, "cannot record the build", http.StatusServiceUnavailable)
		return
	}
	data, _ := json.Marshal(spec)
	if _, err := a.js.Publish(SubjectRequested, data, nats.Context(r.Context())); err != nil {
		http.Error(w, "cannot queue the build", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusAccepted)
	json.NewEncoder(w).Encode(map[string]string{"id": spec.ID, "status": string(protocol.BuildQueued)})
}

func (a *API) getBuild(w http.ResponseWriter, r *http.Request) {
	st, err := a.store.Status(r.Context(), r.PathValue("id"))
	if err != nil {
		http.Error(w, "no such build", http.StatusNotFound)
		return
	}
	json.NewEncoder(w).Encode(map[string]string{"id": r.PathValue("id"), "status": string(st)})
}

func (a *API) cancelBuild(w http.ResponseWriter, r *http.Request) {
	if _, err := a.js.Publish(SubjectCancel, []byte(r.PathValue("id"))); err != nil {
		http.Error(w, "cannot cancel", http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

func (a *API) Routes(mux *http.ServeMux) {
	mux.HandleFunc("POST /builds", a.createBuild)
	mux.HandleFunc("GET /builds/{id}", a.getBuild)
	mux.HandleFunc("POST /builds/{id}/cancel", a.cancelBuild)
}
