// Package agent runs the jobs the control plane assigns to this worker and
// reports their outcome and the worker's status over the control socket.
package agent

import (
	"context"
	"encoding/json"
	"errors"
	"log"
	"sync"
	"syscall"

	"github.com/gorilla/websocket"

	"github.com/rendermesh/worker/internal/protocol"
	"github.com/rendermesh/worker/internal/renderer"
)

// Agent is one worker's side of the control protocol.
type Agent struct {
	id       string
	renderer *renderer.Client

	mu   sync.Mutex
	conn *websocket.Conn // the control plane; replaced on reconnect
}

// New returns an agent for worker id driving the given render daemon.
func New(id string, r *renderer.Client) *Agent {
	return &Agent{id: id, renderer: r}
}

// Attach sets the control connection after a (re)connect.
func (a *Agent) Attach(conn *websocket.Conn) {
	a.mu.Lock()
	a.conn = conn
	a.mu.Unlock()
}

// send writes one message to the control plane; gorilla connections allow
// one concurrent writer.
func (a *Agent) send(v any) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.conn == nil {
		return errors.New("not connected")
	}
	return a.conn.WriteJSON(v)
}

func (a *Agent) status(s protocol.Status) error {
	return a.send(protocol.StatusUpdate{Type: protocol.TypeStatus, WorkerID: a.id, Status: s})
}

// Handle decodes one message from the control plane.
func (a *Agent) Handle(ctx context.Context, raw []byte) {
	var env protocol.Envelope
	if err := json.Unmarshal(raw, &env); err != nil {
		log.Printf("control: undecodable message: %v", err)
		return
	}
	if env.Type != protocol.TypeAssign {
		return
	}
	var job protocol.Assign
	if err := json.Unmarshal(raw, &job); err != nil {
		// A malformed assignment says nothing about this worker: stay available.
		log.Printf("control: bad assignment: %v", err)
		a.send(protocol.StatusUpdate{Type: protocol.TypeStatus, WorkerID: a.id, Status: protocol.StatusIdle})
		return
	}
	go a.run(ctx, job)
}

func (a *Agent) run(ctx context.Context, job protocol.Assign) {
	a.status(protocol.StatusRendering)
	renderID, err := a.renderer.Submit(ctx, job.SceneURL, job.FrameStart, job.FrameEnd)
	if err != nil {
		a.send(protocol.JobResult{Type: protocol.TypeJobFailed, JobID: job.JobID, Error: err.Error()})
		if errors.Is(err, syscall.ECONNREFUSED) {
			// The daemon is restarting: hand the job back and take the next one.
			a.send(protocol.StatusUpdate{Type: protocol.TypeStatus, WorkerID: a.id, Status: protocol.StatusIdle})
			return
		}
		log.Printf("job %s: submit: %v", job.JobID, err)
		return
	}
	a.follow(ctx, job.JobID, renderID)
	a.status(protocol.StatusIdle)
}

// follow relays the render's progress until it ends.
func (a *Agent) follow(ctx context.Context, jobID, renderID string) {
	events, err := a.renderer.Events(ctx, renderID)
	if err != nil {
		a.settle(ctx, jobID, renderID)
		return
	}
	defer events.Close()
	for {
		var ev renderer.Event
		if err := events.ReadJSON(&ev); err != nil {
			log.Printf("render %s: event stream closed: %v", renderID, err)
			a.send(protocol.JobResult{Type: protocol.TypeJobFailed, JobID: jobID, Error: "render lost"})
			return
		}
		switch ev.Kind {
		case "progress":
			a.send(map[string]any{"type": protocol.TypeProgress, "jobId": jobID, "percent": ev.Percent})
		case "done":
			a.send(protocol.JobResult{Type: protocol.TypeJobDone, JobID: jobID, OutputURL: ev.Output})
			return
		case "failed":
			a.send(protocol.JobResult{Type: protocol.TypeJobFailed, JobID: jobID, Error: ev.Error})
			return
		}
	}
}

// settle asks the daemon over HTTP how a render ended when its event
// stream could not be opened.
func (a *Agent) settle(ctx context.Context, jobID, renderID string) {
	st, err := a.renderer.State(ctx, renderID)
	if err != nil {
		log.Printf("render %s: state unknown: %v", renderID, err)
		return
	}
	switch st.State {
	case "done":
		a.send(protocol.JobResult{Type: protocol.TypeJobDone, JobID: jobID, OutputURL: st.Output})
	case "failed":
		a.send(protocol.JobResult{Type: protocol.TypeJobFailed, JobID: jobID, Error: "render failed"})
	}
}
