package scheduler

import (
	"context"
	"log"
	"net/http"
	"time"

	"github.com/gorilla/websocket"

	"github.com/acme/build-farm/internal/protocol"
)

var upgrader = websocket.Upgrader{ReadBufferSize: 4096, WriteBufferSize: 4096}

// Gateway is the scheduler's end of the runner WebSockets.
type Gateway struct {
	reg        *Registry
	dispatcher *Dispatcher
	store      *BuildStore
	requeue    *RequeuePolicy
	logs       *LogSink
}

func NewGateway(reg *Registry, d *Dispatcher, store *BuildStore, rq *RequeuePolicy, logs *LogSink) *Gateway {
	return &Gateway{reg: reg, dispatcher: d, store: store, requeue: rq, logs: logs}
}

func (g *Gateway) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	conn, err := upgrader.Upgrade(w, req, nil)
	if err != nil {
		log.Printf("gateway: upgrade: %v", err)
		return
	}
	go g.serve(conn)
}

// serve reads one runner's frames until its connection ends.
func (g *Gateway) serve(conn *websocket.Conn) {
	defer conn.Close()
	var hello protocol.Message
	if err := conn.ReadJSON(&hello); err != nil || hello.Type != protocol.MsgRegister {
		log.Printf("gateway: no REGISTER from %s", conn.RemoteAddr())
		return
	}
	r := g.reg.Add(hello.Runner, hello.Labels, conn)
	log.Printf("gateway: runner %s registered (%v)", r.ID, r.Labels)
	for {
		var m protocol.Message
		if err := conn.ReadJSON(&m); err != nil {
			// The runner's own connection: losing it loses the runner, not
			// its build. The build keeps its state until the runner is back
			// or the reaper times it out.
			log.Printf("gateway: runner %s disconnected: %v", r.ID, err)
			g.reg.mu.Lock()
			r.Status = protocol.RunnerOffline
			g.reg.mu.Unlock()
			return
		}
		g.handle(r, m)
	}
}

func (g *Gateway) handle(r *Runner, m protocol.Message) {
	switch m.Type {
	case protocol.MsgStatus:
		g.reg.SetStatus(r, m.Status)
		if m.Status == protocol.RunnerIdle {
			g.dispatcher.Wake()
		}
	case protocol.MsgLog:
		g.logs.Append(m.BuildID, m.Chunk)
	case protocol.MsgBuildDone:
		g.onBuildDone(r, m)
	case protocol.MsgBuildFailed:
		g.onBuildFailed(r, m)
	default:
		log.Printf("gateway: runner %s: unknown frame %q", r.ID, m.Type)
	}
}

func (g *Gateway) onBuildDone(r *Runner, m protocol.Message) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	g.dispatcher.Finish(m.BuildID)
	g.reg.mu.Lock()
	r.Status = protocol.RunnerIdle
	r.Build = ""
	g.reg.mu.Unlock()
	if err := g.store.SetStatus(ctx, m.BuildID, protocol.BuildSucceeded, ""); err != nil {
		log.Printf("gateway: build %s: %v", m.BuildID, err)
	}
	g.dispatcher.Wake()
}

// onBuildFailed records the failure, requeues the build when its error
// code allows, and frees the runner for the next build.
func (g *Gateway) onBuildFailed(r *Runner, m protocol.Message) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	spec, known := g.dispatcher.Finish(m.BuildID)
	g.reg.mu.Lock()
	r.Status = protocol.RunnerIdle
	r.Build = ""
	g.reg.mu.Unlock()

	status := protocol.BuildFailed
	if known {
		requeued, err := g.requeue.Maybe(ctx, spec, m.Code)
		if err != nil {
			log.Printf("gateway: requeue %s: %v", m.BuildID, err)
		} else if requeued {
			status = protocol.BuildQueued
		}
	}
	if err := g.store.SetStatus(ctx, m.BuildID, status, string(m.Code)+": "+m.Detail); err != nil {
		log.Printf("gateway: build %s: %v", m.BuildID, err)
	}
	g.dispatcher.Wake()
}

// LogSink keeps the tail of each build's output for the API.
type LogSink struct {
	tails map[string][]byte
}

func (s *LogSink) Append(buildID string, chunk []byte) {
	t := append(s.tails[buildID], chunk...)
	if len(t) > 64<<10 {
		t = t[len(t)-64<<10:]
	}
	s.tails[buildID] = t
}
