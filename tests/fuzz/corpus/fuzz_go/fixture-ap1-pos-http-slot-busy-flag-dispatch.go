// The dispatcher hands each job to the first slot that is not busy.
package render

type Dispatcher struct {
	slots []*Slot
	queue chan []byte
}

func (d *Dispatcher) Run() {
	for job := range d.queue {
		for _, s := range d.slots {
			if !s.busy {
				go s.send(job)
				break
			}
		}
	}
}
