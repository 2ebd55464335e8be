// Orders API: Postgres behind it, a liveness probe on /healthz.
package main

import (
	"database/sql"
	"encoding/json"
	"net/http"
)

type server struct{ db *sql.DB }

func (s *server) healthz(w http.ResponseWriter, r *http.Request) {
	if err := s.db.PingContext(r.Context()); err != nil { // expect: AP-4
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusOK)
}

func (s *server) orders(w http.ResponseWriter, r *http.Request) {
	rows, err := s.db.QueryContext(r.Context(), "SELECT id FROM orders")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer rows.Close()
	json.NewEncoder(w).Encode([]string{})
}

func main() {
	db, _ := sql.Open("postgres", "postgres://orders@db/orders")
	s := &server{db: db}
	http.HandleFunc("/healthz", s.healthz)
	http.HandleFunc("/orders", s.orders)
	http.ListenAndServe(":8080", nil)
}
