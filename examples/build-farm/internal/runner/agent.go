package runner

import (
	"context"
	"errors"
	"log"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/acme/build-farm/internal/protocol"
)

// Agent keeps this runner connected to the scheduler and runs what it assigns.
type Agent struct {
	ID           string
	Labels       []string
	SchedulerURL string

	exec *Executor

	mu      sync.Mutex
	conn    *websocket.Conn
	current string // the build running now, "" when none
}

func NewAgent(id, schedulerURL string, labels []string, docker *Docker, up *Uploader, workDir string) *Agent {
	a := &Agent{ID: id, Labels: labels, SchedulerURL: schedulerURL}
	a.exec = &Executor{docker: docker, uploader: up, workDir: workDir, send: a.send}
	return a
}

func (a *Agent) send(m protocol.Message) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.conn == nil {
		return errors.New("not connected")
	}
	return a.conn.WriteJSON(m)
}

func (a *Agent) setStatus(st protocol.RunnerStatus) {
	if err := a.send(protocol.Status(a.ID, st)); err != nil {
		log.Printf("agent: status %s: %v", st, err)
	}
}

func (a *Agent) building() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.current != ""
}

// Run keeps a session with the scheduler open, reconnecting when it drops.
func (a *Agent) Run(ctx context.Context) {
	wait := time.Second
	for ctx.Err() == nil {
		err := a.session(ctx)
		log.Printf("agent: session ended: %v; reconnecting in %s", err, wait)
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
		if wait < 30*time.Second {
			wait *= 2
		}
	}
}

// session is one connection: register, say idle, then take assignments.
func (a *Agent) session(ctx context.Context) error {
	conn, _, err := websocket.DefaultDialer.DialContext(ctx, a.SchedulerURL, nil)
	if err != nil {
		return err
	}
	defer conn.Close()
	a.mu.Lock()
	a.conn = conn
	a.mu.Unlock()

	if err := a.send(protocol.Register(a.ID, a.Labels)); err != nil {
		return err
	}
	a.setStatus(protocol.RunnerIdle)
	for {
		var m protocol.Message
		if err := conn.ReadJSON(&m); err != nil {
			return err
		}
		if m.Type == protocol.MsgAssign && m.Build != nil {
			go a.build(ctx, *m.Build)
		}
	}
}

// build runs one assignment; the executor reports how it ended.
func (a *Agent) build(ctx context.Context, spec protocol.BuildSpec) {
	a.mu.Lock()
	a.current = spec.ID
	a.mu.Unlock()
	defer func() {
		a.mu.Lock()
		a.current = ""
		a.mu.Unlock()
	}()
	if err := a.exec.Run(ctx, spec); err != nil {
		log.Printf("agent: build %s: cannot report: %v", spec.ID, err)
	}
}
