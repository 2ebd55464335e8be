// Package health serves the worker's probes to Kubernetes.
package health

import (
	"net/http"

	"github.com/rendermesh/worker/internal/renderer"
)

// Server answers /healthz (liveness) and /readyz (readiness).
type Server struct {
	renderer *renderer.Client
}

// NewServer returns the probe server for a worker and its render daemon.
func NewServer(r *renderer.Client) *Server {
	return &Server{renderer: r}
}

// Routes registers the probe handlers.
func (s *Server) Routes(mux *http.ServeMux) {
	mux.HandleFunc("/healthz", s.healthz)
	mux.HandleFunc("/readyz", s.readyz)
}

// healthz is the liveness probe: a failure restarts the worker's pod.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	if !s.renderer.Healthy(r.Context()) {
		http.Error(w, "render daemon down", http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// readyz is the readiness probe: no new work while the daemon is down.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	if !s.renderer.Healthy(r.Context()) {
		http.Error(w, "render daemon not ready", http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusOK)
}
