package scheduler

import (
	"context"
	"log"
	"sync"
	"time"

	"github.com/acme/build-farm/internal/protocol"
)

// Dispatcher hands queued builds to idle runners, one build per runner.
type Dispatcher struct {
	mu       sync.Mutex
	pending  []protocol.BuildSpec
	inflight map[string]protocol.BuildSpec // by build id, until the runner reports
	reg      *Registry
	store    *BuildStore
	wake     chan struct{}
}

func NewDispatcher(reg *Registry, store *BuildStore) *Dispatcher {
	return &Dispatcher{
		inflight: make(map[string]protocol.BuildSpec),
		reg:      reg,
		store:    store,
		wake:     make(chan struct{}, 1),
	}
}

// Submit queues a build for the next idle runner.
func (d *Dispatcher) Submit(spec protocol.BuildSpec) {
	d.mu.Lock()
	d.pending = append(d.pending, spec)
	d.mu.Unlock()
	d.Wake()
}

// Wake makes Run look for idle runners now.
func (d *Dispatcher) Wake() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Finish forgets a build the runner reported on and returns its spec.
func (d *Dispatcher) Finish(buildID string) (protocol.BuildSpec, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	spec, ok := d.inflight[buildID]
	delete(d.inflight, buildID)
	return spec, ok
}

func (d *Dispatcher) Run(ctx context.Context) {
	tick := time.NewTicker(2 * time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-d.wake:
		case <-tick.C:
		}
		d.dispatch(ctx)
	}
}

// dispatch pairs pending builds with idle runners until one side runs out.
func (d *Dispatcher) dispatch(ctx context.Context) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.reg.mu.Lock()
	defer d.reg.mu.Unlock()
	for _, r := range d.reg.runners {
		if len(d.pending) == 0 {
			return
		}
		if r.Status != protocol.RunnerIdle {
			continue
		}
		spec := d.pending[0]
		if err := r.Send(protocol.Assign(spec)); err != nil {
			log.Printf("dispatch: runner %s: %v", r.ID, err)
			r.Status = protocol.RunnerOffline
			continue
		}
		d.pending = d.pending[1:]
		r.Status = protocol.RunnerBusy
		r.Build = spec.ID
		d.inflight[spec.ID] = spec
		if err := d.store.SetStatus(ctx, spec.ID, protocol.BuildRunning, r.ID); err != nil {
			log.Printf("dispatch: build %s: %v", spec.ID, err)
		}
	}
}
