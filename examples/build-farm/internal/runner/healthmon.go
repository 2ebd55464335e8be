package runner

import (
	"context"
	"log"
	"time"

	"github.com/acme/build-farm/internal/protocol"
)

// HealthMonitor pings the local engine on a schedule and tells the
// scheduler when this runner cannot take builds, and when it can again.
type HealthMonitor struct {
	docker   *Docker
	agent    *Agent
	interval time.Duration
	down     bool
}

func (m *HealthMonitor) Run(ctx context.Context) {
	tick := time.NewTicker(m.interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			m.check(ctx)
		}
	}
}

func (m *HealthMonitor) check(ctx context.Context) {
	pctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if err := m.docker.Ping(pctx); err != nil {
		if !m.down {
			log.Printf("health: docker does not answer: %v", err)
			m.down = true
			m.agent.setStatus(protocol.RunnerBusy)
		}
		return
	}
	if m.down && !m.agent.building() {
		log.Printf("health: docker is back")
		m.down = false
		m.agent.setStatus(protocol.RunnerIdle)
	}
}

func NewHealthMonitor(docker *Docker, agent *Agent, interval time.Duration) *HealthMonitor {
	return &HealthMonitor{docker: docker, agent: agent, interval: interval}
}
