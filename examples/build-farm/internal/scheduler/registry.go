package scheduler

import (
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/acme/build-farm/internal/protocol"
)

// Runner is one connected runner agent.
type Runner struct {
	ID       string
	Labels   []string
	Status   protocol.RunnerStatus
	Build    string // the build it runs, "" when none
	LastSeen time.Time

	conn    *websocket.Conn
	writeMu sync.Mutex
}

// Send writes one frame to the runner.
func (r *Runner) Send(m protocol.Message) error {
	r.writeMu.Lock()
	defer r.writeMu.Unlock()
	r.conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return r.conn.WriteJSON(m)
}

// Registry is the scheduler's in-memory view of its runners.
type Registry struct {
	mu      sync.Mutex
	runners map[string]*Runner
}

func NewRegistry() *Registry {
	return &Registry{runners: make(map[string]*Runner)}
}

// Add registers a runner; it gets no work until it reports idle.
func (g *Registry) Add(id string, labels []string, conn *websocket.Conn) *Runner {
	g.mu.Lock()
	defer g.mu.Unlock()
	r := &Runner{ID: id, Labels: labels, Status: protocol.RunnerBusy, LastSeen: time.Now(), conn: conn}
	g.runners[id] = r
	return r
}

// SetStatus records what the runner says about itself.
func (g *Registry) SetStatus(r *Runner, st protocol.RunnerStatus) {
	g.mu.Lock()
	defer g.mu.Unlock()
	r.Status = st
	r.LastSeen = time.Now()
}

func (g *Registry) Counts() map[protocol.RunnerStatus]int {
	g.mu.Lock()
	defer g.mu.Unlock()
	n := make(map[protocol.RunnerStatus]int)
	for _, r := range g.runners {
		n[r.Status]++
	}
	return n
}
