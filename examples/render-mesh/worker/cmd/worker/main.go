// Command worker is one render worker: it connects to the control plane,
// runs the frame ranges it is assigned on the local render daemon and
// reports back.
package main

import (
	"context"
	"log"
	"net/http"
	"os"
	"os/signal"
	"time"

	"github.com/gorilla/websocket"

	"github.com/rendermesh/worker/internal/agent"
	"github.com/rendermesh/worker/internal/health"
	"github.com/rendermesh/worker/internal/protocol"
	"github.com/rendermesh/worker/internal/renderer"
)

type worker struct {
	id         string
	gpu        string
	controlURL string
	agent      *agent.Agent
}

// connect dials the control plane and announces this worker.
func (w *worker) connect(ctx context.Context) (*websocket.Conn, error) {
	conn, _, err := websocket.DefaultDialer.DialContext(ctx, w.controlURL, nil)
	if err != nil {
		return nil, err
	}
	w.agent.Attach(conn)
	if err := conn.WriteJSON(protocol.Register{Type: protocol.TypeRegister, WorkerID: w.id, GPU: w.gpu}); err != nil {
		conn.Close()
		return nil, err
	}
	if err := conn.WriteJSON(protocol.StatusUpdate{Type: protocol.TypeStatus, WorkerID: w.id, Status: protocol.StatusIdle}); err != nil {
		conn.Close()
		return nil, err
	}
	return conn, nil
}

// serve keeps the control connection up: read until it drops, then dial again.
func (w *worker) serve(ctx context.Context) {
	for ctx.Err() == nil {
		conn, err := w.connect(ctx)
		if err != nil {
			log.Printf("control plane: %v; retrying in 2s", err)
			time.Sleep(2 * time.Second)
			continue
		}
		for {
			_, raw, err := conn.ReadMessage()
			if err != nil {
				log.Printf("control plane connection lost: %v", err)
				conn.Close()
				break
			}
			w.agent.Handle(ctx, raw)
		}
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	daemon := renderer.New(getenv("RENDER_DAEMON_URL", "http://127.0.0.1:7300"))
	w := &worker{
		id:         getenv("WORKER_ID", "worker-0"),
		gpu:        getenv("GPU_MODEL", "unknown"),
		controlURL: getenv("CONTROL_URL", "ws://control:8080/workers"),
		agent:      agent.New(getenv("WORKER_ID", "worker-0"), daemon),
	}

	mux := http.NewServeMux()
	health.NewServer(daemon).Routes(mux)
	go http.ListenAndServe(":9090", mux)
	go w.agent.Monitor(ctx, 5*time.Second)

	w.serve(ctx)
}

func getenv(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
