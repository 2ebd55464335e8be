// The scheduler: one per farm. HTTP API, JetStream intake, dispatcher and
// the runners' WebSocket gateway in one process.
package main

import (
	"context"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"github.com/nats-io/nats.go"

	"github.com/acme/build-farm/internal/scheduler"
)

func env(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	nc, err := nats.Connect(env("NATS_URL", nats.DefaultURL), nats.MaxReconnects(-1))
	if err != nil {
		log.Fatalf("nats: %v", err)
	}
	defer nc.Drain()
	js, err := nc.JetStream()
	if err != nil {
		log.Fatalf("jetstream: %v", err)
	}
	if _, err := js.AddStream(&nats.StreamConfig{
		Name:     scheduler.StreamBuilds,
		Subjects: []string{scheduler.SubjectRequested, scheduler.SubjectCancel},
	}); err != nil {
		log.Fatalf("stream %s: %v", scheduler.StreamBuilds, err)
	}

	store := scheduler.NewBuildStore(env("REDIS_ADDR", "redis:6379"))
	reg := scheduler.NewRegistry()
	dispatcher := scheduler.NewDispatcher(reg, store)
	requeue := scheduler.NewRequeuePolicy(js)
	gateway := scheduler.NewGateway(reg, dispatcher, store, requeue, &scheduler.LogSink{})
	intake := scheduler.NewIntake(js, dispatcher, store)
	health := scheduler.NewHealth(store, nc, reg)

	mux := http.NewServeMux()
	scheduler.NewAPI(js, store).Routes(mux)
	health.Routes(mux)
	mux.Handle("/runners/connect", gateway)

	go dispatcher.Run(ctx)
	go func() {
		if err := intake.Requests(ctx); err != nil && ctx.Err() == nil {
			log.Fatalf("intake: %v", err)
		}
	}()
	go func() {
		if err := intake.Cancels(ctx); err != nil && ctx.Err() == nil {
			log.Fatalf("cancels: %v", err)
		}
	}()

	srv := &http.Server{Addr: env("LISTEN", ":8080"), Handler: mux}
	go func() {
		<-ctx.Done()
		srv.Shutdown(context.Background())
	}()
	health.Ready.Store(true)
	log.Printf("scheduler listening on %s", srv.Addr)
	if err := srv.ListenAndServe(); err != http.ErrServerClosed {
		log.Fatalf("http: %v", err)
	}
}
