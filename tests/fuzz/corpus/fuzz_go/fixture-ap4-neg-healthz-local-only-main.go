// Liveness answers from the process alone; the database is checked on use.
package main

import (
	"database/sql"
	"net/http"
	"sync/atomic"
)

var started atomic.Bool

func healthz(w http.ResponseWriter, r *http.Request) {
	if !started.Load() {
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	w.Write([]byte("ok"))
}

func main() {
	db, _ := sql.Open("postgres", "postgres://orders@db/orders")
	defer db.Close()
	http.HandleFunc("/healthz", healthz)
	started.Store(true)
	http.ListenAndServe(":8080", nil)
}
