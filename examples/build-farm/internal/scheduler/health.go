package scheduler

import (
	"context"
	"encoding/json"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
)

// Health serves the probes of the scheduler's Kubernetes deployment:
// /healthz is the livenessProbe, /readyz the readinessProbe.
type Health struct {
	store *BuildStore
	nc    *nats.Conn
	reg   *Registry
	Ready atomic.Bool
}

func NewHealth(store *BuildStore, nc *nats.Conn, reg *Registry) *Health {
	return &Health{store: store, nc: nc, reg: reg}
}

// healthz: is the scheduler alive? The kubelet restarts it when not.
func (h *Health) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := h.store.Ping(ctx); err != nil {
		http.Error(w, "redis: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	if !h.nc.IsConnected() {
		http.Error(w, "nats: not connected", http.StatusServiceUnavailable)
		return
	}
	w.Write([]byte("ok"))
}

// readyz: should the Service route API traffic here?
func (h *Health) readyz(w http.ResponseWriter, r *http.Request) {
	if !h.Ready.Load() || !h.nc.IsConnected() {
		http.Error(w, "not ready", http.StatusServiceUnavailable)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := h.store.Ping(ctx); err != nil {
		http.Error(w, "redis: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	w.Write([]byte("ready"))
}

// runners is a dashboard endpoint: how many runners are in which state.
func (h *Health) runners(w http.ResponseWriter, r *http.Request) {
	json.NewEncoder(w).Encode(h.reg.Counts())
}

func (h *Health) Routes(mux *http.ServeMux) {
	mux.HandleFunc("/healthz", h.healthz)
	mux.HandleFunc("/readyz", h.readyz)
	mux.HandleFunc("/internal/runners", h.runners)
}
