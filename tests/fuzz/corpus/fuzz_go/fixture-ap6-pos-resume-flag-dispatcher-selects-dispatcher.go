// The dispatcher sends each job to the first worker that is not paused.
package pool

type Dispatcher struct {
	workers []*Worker
	queue   chan Job
}

func (d *Dispatcher) next() *Worker {
	for _, w := range d.workers {
		if !w.paused {
			return w
		}
	}
	return nil
}

func (d *Dispatcher) Run() {
	for job := range d.queue {
		if w := d.next(); w != nil {
			w.Send(job)
		}
	}
}
