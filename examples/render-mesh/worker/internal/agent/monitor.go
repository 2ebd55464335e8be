package agent

import (
	"context"
	"log"
	"time"

	"github.com/rendermesh/worker/internal/protocol"
)

// Monitor watches the render daemon and tells the control plane when it
// comes back after an outage.
func (a *Agent) Monitor(ctx context.Context, every time.Duration) {
	down := false
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
		healthy := a.renderer.Healthy(ctx)
		switch {
		case !healthy && !down:
			log.Printf("render daemon down")
			down = true
		case healthy && down:
			log.Printf("render daemon back")
			down = false
			a.send(protocol.StatusUpdate{Type: protocol.TypeStatus, WorkerID: a.id, Status: protocol.StatusIdle})
		}
	}
}
