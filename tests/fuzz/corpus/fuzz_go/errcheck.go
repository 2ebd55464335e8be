package w

import (
	"errors"
	"io"
	amqp "github.com/rabbitmq/amqp091-go"
)

func (d *Dispatcher) run(ch *amqp.Channel) error {
	for i := 0; i < 3; i++ {
		msgs, err := ch.Consume("q", "", false, false, false, false, nil)
		if err != nil {
			continue
		}
		for m := range msgs {
			if errors.Is(err, io.EOF) { return err }
			d.w.Status = StatusIdle
			m.Ack(false)
		}
		break
	}
	switch d.w.Status { case StatusIdle: }
	return nil
}
