// The fixed pool: a failed sidecar is marked dead and selection skips it.
package pool

import "net/http"

type Slot struct {
	URL  string
	busy bool
	dead bool
}

type Pool struct {
	slots  []*Slot
	client *http.Client
}

func (p *Pool) free() *Slot {
	for _, s := range p.slots {
		if !s.busy && !s.dead {
			return s
		}
	}
	return nil
}

func (p *Pool) RunOne(req *http.Request) error {
	s := p.free()
	if s == nil {
		return nil
	}
	s.busy = true
	resp, err := p.client.Do(req)
	if err != nil {
		s.dead = true
		s.busy = false
		return err
	}
	resp.Body.Close()
	s.busy = false
	return nil
}
